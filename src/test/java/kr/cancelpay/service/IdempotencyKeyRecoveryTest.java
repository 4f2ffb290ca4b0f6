package kr.cancelpay.service;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A retry whose first request died midway (its key reserved, no answer kept, its lease run out).
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class IdempotencyKeyRecoveryTest extends RefundTestBase {

    private static final String CALLER = "merchant-backoffice";
    private static final Map<String, Object> PARTIAL =
            Map.of("merchant_uid", "order-died", "cancel_request_amount", 1000, "reason", "단순변심");
    private static final RefundCommand COMMAND =
            new RefundCommand("order-died", 1000L, "단순변심", null);

    @Test
    void diedBeforeRecordingARefund_theRetryStartsOverAndRefundsOnce() {
        givenPayment("order-died", "card", 10000);
        givenKeyOfADeadRequest("died", "rf_never_recorded_000000000");

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-died",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "단순변심"),
                        "died")
                .statusCode(422)
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        postCancel(PARTIAL, "died")
                .statusCode(200)
                .header("Idempotent-Replayed", nullValue())
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(1, chaiPort.executedCancels());
        assertEquals("SUCCEEDED", onlyRefund("order-died").getString("status"));
        assertNull(lockHolder("order-died"));
        assertLedgerAgreesWithChaiPort("order-died");
    }

    @Test
    void diedAfterSending_theRetryIsAnsweredWithTheRefundSettledNotSentAgain() {
        givenPayment("order-died", "card", 10000);
        // It had sent 1000 and ChaiPort executed it; then the instance died.
        chaiPort.putPayment(atChaiPort("order-died").withCancelled(1000, "단순변심"));
        givenCrashedMidSend(
                "order-died", "rf_died_after_send_00000000", 1000, Instant.now().minusSeconds(60));
        givenKeyOfADeadRequest("died", "rf_died_after_send_00000000");

        postCancel(PARTIAL, "died")
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("refund.refund_id", equalTo("rf_died_after_send_00000000"))
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(0, chaiPort.executedCancels(), "nothing executed after the crash");
        assertEquals(0, cancelsSent().size(), "nothing sent again");
        assertEquals(1000, atChaiPort("order-died").cancelAmount());
        assertEquals("SUCCEEDED", onlyRefund("order-died").getString("status"));
        assertOrderFree(stored("order-died"));
        assertLedgerAgreesWithChaiPort("order-died");
    }

    private void givenKeyOfADeadRequest(String key, String refundId) {
        Instant created = Instant.now().minusSeconds(300);
        collection("idempotency_keys")
                .insertOne(
                        new Document("_id", IdempotentRefunds.scopedKey(CALLER, key))
                                .append("scope", CALLER)
                                .append("key", key)
                                .append("fingerprint", IdempotentRefunds.fingerprint(COMMAND))
                                .append("refund_id", refundId)
                                .append("created_at", Date.from(created))
                                .append("expires_at", Date.from(created.plus(Duration.ofHours(24))))
                                .append("lease_until", Date.from(Instant.now().minusSeconds(1))));
    }
}
