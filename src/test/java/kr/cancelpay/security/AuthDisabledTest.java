package kr.cancelpay.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.CapturedLogs;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code cancelpay.auth.enabled=false} (behind an authenticating gateway): callers need no token.
 */
@QuarkusTest
@TestProfile(AuthDisabledTest.AuthOff.class)
class AuthDisabledTest extends RefundTestBase {

    public static class AuthOff extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("cancelpay.auth.enabled", "false");
            return overrides;
        }
    }

    @Test
    void refundsAndReadsNeedNoToken() {
        givenPayment("order-open", "card", 5000);

        given().contentType(ContentType.JSON)
                .body(Map.of("merchant_uid", "order-open", "reason", "x"))
                .post("/payments/cancel")
                .then()
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000));
        given().get("/payments/order-open")
                .then()
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000));

        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-open"));
        assertStoredEqualsChaiPort("order-open");
    }

    @Test
    void theLedgerAndTheOutcomeLineRecordTheCallerAsAnonymous() {
        givenPayment("order-anonymous", "card", 5000);

        try (CapturedLogs outcomes = CapturedLogs.of("kr.cancelpay.service.RefundOutcomes")) {
            given().contentType(ContentType.JSON)
                    .header("Idempotency-Key", "gateway-key-1")
                    .body(Map.of("merchant_uid", "order-anonymous", "reason", "x"))
                    .post("/payments/cancel")
                    .then()
                    .statusCode(200);

            List<CapturedLogs.Line> lines =
                    outcomes.containing("refund outcome refunded for order-anonymous");
            assertEquals(1, lines.size(), outcomes.lines().toString());
            assertTrue(
                    lines.get(0)
                            .message()
                            .contains("requested by anonymous, Idempotency-Key gateway-key-1"),
                    lines.get(0).message());
            assertEquals("anonymous", lines.get(0).mdc().get("requested_by"));
        }
        Document refund = onlyRefund("order-anonymous");
        assertEquals("anonymous", refund.getString("requested_by"));
        assertEquals("gateway-key-1", refund.getString("idempotency_key"));
    }
}
