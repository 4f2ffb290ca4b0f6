package kr.cancelpay.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's "Getting a token": a token with exactly the documented claims ({@code iss}, {@code
 * aud}, {@code sub}, {@code groups}, {@code iat}, {@code exp}; nothing else) refunds, and one
 * lacking any of them is refused before anything reaches MongoDB or ChaiPort. The README's Node
 * example itself mints a token the service accepts, when its package is installed ({@code npm ci
 * --prefix docs/examples/token}, as {@code .ci/run} does).
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class DocumentedTokenTest extends RefundTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_EXAMPLE = Path.of("docs", "examples", "token");
    private static final Set<String> DOCUMENTED_CLAIMS =
            Set.of("iss", "aud", "sub", "groups", "iat", "exp");

    /** Exactly the README's claims, for the test suite's issuer and key. */
    private static ObjectNode documentedClaims() {
        ObjectNode claims = JSON.createObjectNode();
        claims.putArray("groups").add(Roles.REFUNDS_WRITE);
        claims.put("iss", TestJwt.ISSUER);
        claims.put("aud", "cancelpay");
        claims.put("sub", "cs-kim");
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now);
        claims.put("exp", now + 300);
        return claims;
    }

    @Test
    void aTokenWithExactlyTheDocumentedClaimsRefundsAndNamesItsSubject() {
        ObjectNode claims = documentedClaims();
        assertEquals(DOCUMENTED_CLAIMS, fieldNames(claims));
        givenPayment("order-token", "card", 10000);

        refund(TestJwt.signedClaims(claims.toString()))
                .statusCode(200)
                .body("refund.status", equalTo("SUCCEEDED"))
                .body("refund.requested_by", equalTo("cs-kim"))
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(1000, number(stored("order-token"), "cancel_amount"));
        assertEquals("cs-kim", onlyRefund("order-token").getString("requested_by"));
        assertEquals(1, chaiPort.executedCancels());
    }

    static Stream<Arguments> eachDocumentedClaimMissing() {
        return Stream.of(
                Arguments.of("iss", 401, "UNAUTHENTICATED"),
                Arguments.of("aud", 401, "UNAUTHENTICATED"),
                Arguments.of("sub", 401, "UNAUTHENTICATED"),
                // smallrye-jwt requires iat even without a maximum age (mp.jwt.verify.token.age).
                Arguments.of("iat", 401, "UNAUTHENTICATED"),
                Arguments.of("exp", 401, "UNAUTHENTICATED"),
                // Signed and valid, but it says nothing about what its bearer may do.
                Arguments.of("groups", 403, "FORBIDDEN"));
    }

    @ParameterizedTest(name = "without {0}: {1} {2}")
    @MethodSource("eachDocumentedClaimMissing")
    void aTokenLackingAnyDocumentedClaimIsRefusedAndNothingMoves(
            String missing, int status, String code) {
        ObjectNode claims = documentedClaims();
        claims.remove(missing);
        givenPayment("order-token", "card", 10000);

        refund(TestJwt.signedClaims(claims.toString()))
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code));

        assertTrue(chaiPort.calls().isEmpty(), "nothing reached ChaiPort");
        Document row = stored("order-token");
        assertNull(row.get("cancel_amount"));
        assertFalse(row.containsKey("cancelpay_pending"));
        assertTrue(ledger("order-token").isEmpty(), "nothing recorded");
    }

    /**
     * The README's Node example (docs/examples/token/cancelpay-token.js, jose pinned by its
     * package-lock.json), run as the back office would, with a key in the PEM form the README's
     * openssl command writes.
     */
    @Test
    void theReadmesNodeExampleMintsATokenTheServiceAccepts() throws Exception {
        boolean joseInstalled =
                Files.isDirectory(NODE_EXAMPLE.resolve("node_modules").resolve("jose"));
        // Skipped on a developer's machine without the example's packages; never in CI, which
        // installs them (.ci/run sets CI=true): there a skip would hide a rotten example.
        assertTrue(
                joseInstalled || !"true".equals(System.getenv("CI")),
                "CI must run npm ci --prefix docs/examples/token before the tests (.ci/run)");
        assumeTrue(
                joseInstalled, "npm ci --prefix docs/examples/token has not run (.ci/run runs it)");
        Path key = Files.createTempFile(Path.of("target"), "cancelpay-signing-", ".key");
        Files.writeString(key, TestJwt.privateKeyPem());
        ProcessBuilder mint =
                new ProcessBuilder(
                                "node",
                                NODE_EXAMPLE.resolve("cancelpay-token.js").toString(),
                                "cs-lee")
                        .redirectErrorStream(true);
        mint.environment().put("CANCELPAY_JWT_PRIVATE_KEY_FILE", key.toString());
        mint.environment().put("CANCELPAY_JWT_ISSUER", TestJwt.ISSUER);
        Process node = mint.start();
        node.getOutputStream().close();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), output);
        String token = output.trim();

        assertEquals(DOCUMENTED_CLAIMS, fieldNames(payload(token)), "the README's claims");
        givenPayment("order-token", "card", 10000);
        refund(token)
                .statusCode(200)
                .body("refund.requested_by", equalTo("cs-lee"))
                .body("payment.cancel_amount", equalTo(1000));
        assertEquals("cs-lee", onlyRefund("order-token").getString("requested_by"));
        assertEquals(1, chaiPort.executedCancels());
    }

    /** The README shows the example's signing function as it is in the file the test runs. */
    @Test
    void theReadmeShowsTheExampleThatIsRun() throws IOException {
        String example = Files.readString(NODE_EXAMPLE.resolve("cancelpay-token.js"));
        int start = example.indexOf("export async function cancelpayToken");
        String function = example.substring(start, example.indexOf("\n}\n", start) + 2);
        assertTrue(function.contains(".setIssuedAt()"), function);
        assertTrue(
                Files.readString(Path.of("README.md")).contains(function),
                "README.md, 'Getting a token', differs from " + NODE_EXAMPLE);
    }

    private static ValidatableResponse refund(String token) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(
                        Map.of(
                                "merchant_uid",
                                "order-token",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "단순변심"))
                .post("/payments/cancel")
                .then();
    }

    private static JsonNode payload(String token) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
