package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static kr.cancelpay.testsupport.Webhooks.assertNoPaymentData;
import static kr.cancelpay.testsupport.Webhooks.assertReceived;
import static kr.cancelpay.testsupport.Webhooks.webhook;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.junit.jupiter.api.Test;

/**
 * The limit on webhook-driven ChaiPort lookups (SmallRye Fault Tolerance's {@code @RateLimit},
 * shrunk to two a minute through the standard override keys): beyond it a notification is answered
 * 429 with Retry-After and nothing is done, while refunds' own lookups are not limited.
 */
@QuarkusTest
@TestProfile(ChaiPortWebhookRateLimitTest.TwoLookupsAMinute.class)
class ChaiPortWebhookRateLimitTest extends RefundTestBase {

    public static class TwoLookupsAMinute extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put(CLIENT + "getPaymentForWebhook\".rate-limit.value", "2");
            overrides.put(CLIENT + "getPaymentForWebhook\".rate-limit.window", "60");
            return overrides;
        }
    }

    @Test
    void beyondTheLimitANotificationIs429WithRetryAfterAndNothingIsDone() {
        for (String order : List.of("order-rl-1", "order-rl-2", "order-rl-3")) {
            givenPayment(order, "card", 10000);
        }
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-rl-3", "order-rl-3", "card", 10000)
                        .withCancelled(1000, "console"));

        assertReceived(webhook(Map.of("merchant_uid", "order-rl-1")));
        assertReceived(webhook(Map.of("merchant_uid", "order-rl-2")));
        String limited =
                webhook(Map.of("merchant_uid", "order-rl-3"))
                        .statusCode(429)
                        .contentType("application/problem+json")
                        .body("code", equalTo("WEBHOOK_RATE_LIMITED"))
                        .body("status", equalTo(429))
                        .extract()
                        .asString();
        assertNoPaymentData(limited, "order-rl-3");
        int retryAfter =
                Integer.parseInt(
                        webhook(Map.of("merchant_uid", "order-rl-3"))
                                .statusCode(429)
                                .extract()
                                .header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);

        assertEquals(2, chaiPort.calls(Endpoint.GET_PAYMENT).size(), "no lookup beyond the limit");
        assertNull(stored("order-rl-3").get("cancel_amount"), "nothing synced");
        assertEquals(List.of(), ledger("order-rl-3"));
        assertOrderFree(stored("order-rl-3"));

        // An order we do not have costs no lookup, so it is not limited (and still answered alike).
        assertReceived(webhook(Map.of("merchant_uid", "order-rl-none")));

        // Refunds look payments up through their own, unlimited call: a guide row without
        // pay_method.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-rl-refund", "order-rl-refund", "card", 3000));
        payments().insertOne(guideRow("imp_order-rl-refund", "order-rl-refund", 3000));
        postCancel(Map.of("merchant_uid", "order-rl-refund", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000));
        assertEquals(
                3,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "the refund's lookup reached ChaiPort");
        assertEquals(1, chaiPort.executedCancels());
        assertLedgerAgreesWithChaiPort("order-rl-refund");

        // The form-encoded notification meets the same limit.
        given().contentType(ContentType.URLENC)
                .formParam("merchant_uid", "order-rl-1")
                .post("/webhooks/chaiport")
                .then()
                .statusCode(429)
                .body("code", equalTo("WEBHOOK_RATE_LIMITED"));
    }
}
