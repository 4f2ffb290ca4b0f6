package kr.cancelpay.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strict input on every endpoint that takes a body: one JSON value and nothing after it, a declared
 * media type the endpoint consumes, at most 64 KiB. Each refusal is a problem with a stable code,
 * and nothing runs: ChaiPort sees no call, the ledger no refund, the row no change.
 *
 * <p>Requests are made with the JDK's client, not rest-assured, which always adds a Content-Type
 * and never sends a chunked body from a string.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class StrictInputTest extends RefundTestBase {

    private static final String ORDER = "order-strict";
    private static final String CANCEL = "/payments/cancel";
    private static final String WEBHOOK = "/webhooks/chaiport";
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String REFUND = "{\"merchant_uid\":\"" + ORDER + "\",\"reason\":\"x\"}";
    private static final String NOTIFICATION =
            "{\"imp_uid\":\"imp_"
                    + ORDER
                    + "\",\"merchant_uid\":\""
                    + ORDER
                    + "\",\"status\":\"paid\"}";
    private static final int LIMIT = 64 * 1024;

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private static final ObjectMapper JSON_READER = new ObjectMapper();

    @BeforeEach
    void aRefundableOrder() {
        givenPayment(ORDER, "card", 10000);
    }

    /** How the body travels: with a Content-Length, or chunked (its size unknown until it ends). */
    enum Framing {
        SIZED,
        CHUNKED
    }

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                // One JSON value, and nothing after it.
                refused(CANCEL, JSON, REFUND + " {\"x\":1}", 400, "VALIDATION_FAILED"),
                refused(CANCEL, JSON, REFUND + "garbage", 400, "VALIDATION_FAILED"),
                refused(CANCEL, JSON, REFUND + "]", 400, "VALIDATION_FAILED"),
                refused(CANCEL, JSON, REFUND + REFUND, 400, "VALIDATION_FAILED"),
                refused(CANCEL, JSON, "", 400, "VALIDATION_FAILED"),
                Arguments.of(CANCEL, JSON, "", Framing.CHUNKED, 400, "VALIDATION_FAILED"),
                Arguments.of(WEBHOOK, JSON, "", Framing.CHUNKED, 400, "VALIDATION_FAILED"),
                refused(
                        WEBHOOK,
                        JSON,
                        NOTIFICATION + " {\"merchant_uid\":\"order-other\"}",
                        400,
                        "VALIDATION_FAILED"),
                refused(WEBHOOK, JSON, NOTIFICATION + "garbage", 400, "VALIDATION_FAILED"),
                refused(WEBHOOK, FORM, "merchant_uid=" + ORDER + "%zz", 400, "VALIDATION_FAILED"),
                // A declared media type the endpoint consumes.
                refused(CANCEL, null, REFUND, 415, "UNSUPPORTED_MEDIA_TYPE"),
                refused(CANCEL, "text/plain", REFUND, 415, "UNSUPPORTED_MEDIA_TYPE"),
                refused(
                        CANCEL,
                        FORM,
                        "merchant_uid=" + ORDER + "&reason=x",
                        415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                refused(
                        CANCEL,
                        "application/xml",
                        "<merchant_uid>" + ORDER + "</merchant_uid>",
                        415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                refused(WEBHOOK, null, NOTIFICATION, 415, "UNSUPPORTED_MEDIA_TYPE"),
                refused(WEBHOOK, null, "merchant_uid=" + ORDER, 415, "UNSUPPORTED_MEDIA_TYPE"),
                refused(WEBHOOK, "text/plain", NOTIFICATION, 415, "UNSUPPORTED_MEDIA_TYPE"),
                // At most 64 KiB, however it is framed.
                tooLarge(CANCEL, JSON, paddedJson(REFUND, LIMIT + 1), Framing.SIZED),
                tooLarge(CANCEL, JSON, paddedJson(REFUND, LIMIT + 1), Framing.CHUNKED),
                tooLarge(CANCEL, JSON, paddedJson(REFUND, 4 * 1024 * 1024), Framing.SIZED),
                tooLarge(WEBHOOK, JSON, paddedJson(NOTIFICATION, LIMIT + 1), Framing.SIZED),
                tooLarge(WEBHOOK, JSON, paddedJson(NOTIFICATION, LIMIT + 1), Framing.CHUNKED),
                tooLarge(WEBHOOK, FORM, paddedForm(LIMIT + 1), Framing.SIZED),
                tooLarge(WEBHOOK, FORM, paddedForm(LIMIT + 1), Framing.CHUNKED));
    }

    private static Arguments refused(
            String path, String contentType, String body, int status, String code) {
        return Arguments.of(path, contentType, body, Framing.SIZED, status, code);
    }

    private static Arguments tooLarge(
            String path, String contentType, String body, Framing framing) {
        return Arguments.of(path, contentType, body, framing, 413, "PAYLOAD_TOO_LARGE");
    }

    @ParameterizedTest(name = "{0} {1} {3} ({2}) -> {4} {5}")
    @MethodSource("refusedRequests")
    void aRefusedBodyIsAProblemAndNothingRuns(
            String path, String contentType, String body, Framing framing, int status, String code)
            throws Exception {
        HttpResponse<String> response = post(path, contentType, body, framing);

        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                ProblemMapper.PROBLEM_JSON,
                response.headers().firstValue("Content-Type").orElse(null));
        JsonNode problem = JSON_READER.readTree(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertEquals(code, problem.path("code").asText());
        assertNothingRan();
    }

    /**
     * The limits refuse what they should and nothing more: whitespace after the value, and a body
     * just under 64 KiB, pass.
     */
    @Test
    void aBodyJustUnderTheLimitWithTrailingWhitespaceIsExecuted() throws Exception {
        String body = paddedJson(REFUND, LIMIT - 16) + " \r\n\t ";
        assertTrue(body.length() < LIMIT && body.length() > LIMIT - 32);

        HttpResponse<String> response =
                post(CANCEL, JSON + "; charset=UTF-8", body, Framing.CHUNKED);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                10000,
                JSON_READER
                        .readTree(response.body())
                        .path("payment")
                        .path("cancel_amount")
                        .asLong());
        assertEquals(1, cancelsSent().size());
        assertEquals("SUCCEEDED", onlyRefund(ORDER).getString("status"));
        assertEquals(10000, number(stored(ORDER), "cancel_amount"));
    }

    /**
     * HTTP/2 is off (JAX-RS cannot take an HTTP/2 body read before it): a client asking for h2c
     * stays on HTTP/1.1.
     */
    @Test
    void aClientAskingForHttp2IsServedOnHttp11() throws Exception {
        HttpClient upgrading = HttpClient.newHttpClient();
        HttpResponse<String> response =
                upgrading.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                RestAssured.baseURI
                                                        + ":"
                                                        + RestAssured.port
                                                        + CANCEL))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + TestJwt.writer())
                                .header("Content-Type", JSON)
                                .POST(BodyPublishers.ofString(REFUND))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, cancelsSent().size());
        assertEquals("SUCCEEDED", onlyRefund(ORDER).getString("status"));
    }

    @Test
    void aFormEncodedNotificationJustUnderTheLimitIsAccepted() throws Exception {
        HttpResponse<String> response =
                post(WEBHOOK, FORM, paddedForm(LIMIT - 16), Framing.CHUNKED);

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(cancelsSent().isEmpty());
        assertTrue(ledger(ORDER).isEmpty());
    }

    private void assertNothingRan() {
        assertTrue(chaiPort.calls().isEmpty(), "ChaiPort was called: " + chaiPort.calls());
        assertTrue(cancelsSent().isEmpty());
        assertTrue(ledger(ORDER).isEmpty(), "ledger: " + ledger(ORDER));
        Document row = stored(ORDER);
        assertEquals(0, number(row, "cancel_amount"));
        assertOrderFree(row);
    }

    /**
     * {@code json} with whitespace inside its braces until it is {@code size} bytes long: still
     * valid.
     */
    private static String paddedJson(String json, int size) {
        return "{" + " ".repeat(size - json.length()) + json.substring(1);
    }

    private static String paddedForm(int size) {
        String form = "imp_uid=imp_" + ORDER + "&merchant_uid=" + ORDER + "&status=paid&padding=";
        return form + "x".repeat(size - form.length());
    }

    private static HttpResponse<String> post(
            String path, String contentType, String body, Framing framing)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        BodyPublisher publisher =
                framing == Framing.SIZED
                        ? BodyPublishers.ofByteArray(bytes)
                        // No length: the JDK client sends it chunked.
                        : BodyPublishers.fromPublisher(BodyPublishers.ofByteArray(bytes));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestJwt.writer())
                        .POST(publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
