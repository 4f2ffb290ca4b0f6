package kr.cancelpay.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
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
 * Every protected endpoint against every kind of caller: no token, a token that fails verification
 * in each way, the wrong group and the right group. A refused caller changes nothing and reaches
 * nothing behind the service.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class AuthorizationMatrixTest extends RefundTestBase {

    private static final Set<String> WRITE = Set.of(Roles.REFUNDS_WRITE);
    private static final Set<String> READ = Set.of(Roles.REFUNDS_READ);

    /**
     * A protected endpoint: how to call it, the group it needs, and the group that is not enough.
     */
    private enum Protected {
        CANCEL(
                WRITE,
                READ,
                request ->
                        request.contentType(ContentType.JSON)
                                .body(
                                        Map.of(
                                                "merchant_uid",
                                                "order-auth",
                                                "cancel_request_amount",
                                                1000,
                                                "reason",
                                                "x"))
                                .post("/payments/cancel")
                                .then()),
        READ_PAYMENT(READ, WRITE, request -> request.get("/payments/order-auth").then()),
        READ_REFUND(
                READ,
                WRITE,
                request -> request.get("/payments/order-auth/refunds/rf_unknown").then());

        final Set<String> needs;
        final Set<String> notEnough;
        final Function<RequestSpecification, ValidatableResponse> call;

        Protected(
                Set<String> needs,
                Set<String> notEnough,
                Function<RequestSpecification, ValidatableResponse> call) {
            this.needs = needs;
            this.notEnough = notEnough;
            this.call = call;
        }
    }

    static Stream<Arguments> refusedCallers() {
        return Stream.of(Protected.values())
                .flatMap(
                        endpoint ->
                                Stream.of(
                                        Arguments.of(endpoint, "no token", null, 401),
                                        Arguments.of(endpoint, "not a JWT", "not-a-jwt", 401),
                                        Arguments.of(
                                                endpoint,
                                                "bad signature",
                                                TestJwt.badSignature(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "expired",
                                                TestJwt.expired(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "wrong issuer",
                                                TestJwt.wrongIssuer(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "wrong audience",
                                                TestJwt.wrongAudience(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "no audience",
                                                TestJwt.noAudience(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "alg none",
                                                TestJwt.unsigned(endpoint.needs),
                                                401),
                                        Arguments.of(
                                                endpoint,
                                                "wrong group",
                                                TestJwt.token(endpoint.notEnough),
                                                403),
                                        Arguments.of(
                                                endpoint,
                                                "no group",
                                                TestJwt.token(Set.of()),
                                                403)));
    }

    @BeforeEach
    void anOrder() {
        givenPayment("order-auth", "card", 10000);
    }

    @ParameterizedTest(name = "{0} with {1} -> {3}")
    @MethodSource("refusedCallers")
    void refusedCallersGetAProblemAndChangeNothing(
            Protected endpoint, String caller, String token, int status) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        ValidatableResponse response =
                endpoint.call
                        .apply(request)
                        .statusCode(status)
                        .contentType("application/problem+json")
                        .body("status", equalTo(status))
                        .body("code", equalTo(status == 401 ? "UNAUTHENTICATED" : "FORBIDDEN"));
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }

        assertTrue(chaiPort.calls().isEmpty(), "ChaiPort was called: " + chaiPort.calls());
        Document row = stored("order-auth");
        assertNull(row.get("cancel_amount"));
        assertOrderFree(row);
    }

    @Test
    void theWriteGroupMayRefund() {
        Protected.CANCEL
                .call
                .apply(given().auth().oauth2(TestJwt.writer()))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1000, number(stored("order-auth"), "cancel_amount"));
    }

    @Test
    void theReadGroupMayReadThePaymentAndItsRefunds() {
        Protected.CANCEL.call.apply(given().auth().oauth2(TestJwt.writer())).statusCode(200);

        Protected.READ_PAYMENT
                .call
                .apply(given().auth().oauth2(TestJwt.reader()))
                .statusCode(200)
                .contentType("application/json")
                .body("payment.merchant_uid", equalTo("order-auth"))
                .body("payment.paid_amount", equalTo(10000))
                .body("payment.cancel_amount", equalTo(1000))
                .body("payment.cancelable_amount", equalTo(9000))
                .body("payment.status", equalTo("paid"))
                .body("refunds.size()", equalTo(1))
                .body("refunds[0].amount", equalTo(1000))
                .body("refunds[0].status", equalTo("SUCCEEDED"))
                .body(
                        "refunds[0].cancellation.cancellation_id",
                        equalTo(atChaiPort("order-auth").cancelHistory().get(0).cancellationId()))
                .body("payment.pending_refund_id", equalTo(null))
                .body("$", not(hasKey("amount")));
        assertEquals(
                1, chaiPort.calls(Endpoint.CANCEL).size(), "reading calls nothing at ChaiPort");
        assertTrue(chaiPort.calls(Endpoint.GET_PAYMENT).isEmpty());
    }

    @Test
    void readingAnUnknownPaymentIs404() {
        given().auth()
                .oauth2(TestJwt.reader())
                .get("/payments/order-nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("PAYMENT_NOT_FOUND"));
    }

    @Test
    void theWebhookAndTheOperationsEndpointsStayOpen() {
        given().contentType(ContentType.JSON)
                .body(
                        Map.of(
                                "imp_uid",
                                "imp_order-auth",
                                "merchant_uid",
                                "order-auth",
                                "status",
                                "paid"))
                .post("/webhooks/chaiport")
                .then()
                .statusCode(200)
                .body("received", equalTo(true));
        assertEquals(
                1, chaiPort.calls(Endpoint.GET_PAYMENT).size(), "the webhook re-queried ChaiPort");

        // On the management port, which only the cluster's probes and Prometheus reach
        // (ObservabilityTest).
        management.given().get("/q/health/ready").then().statusCode(200);
        management.given().get("/q/metrics").then().statusCode(200);
    }
}
