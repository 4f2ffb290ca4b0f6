package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The janitor settles refunds left pending without waiting for anyone to ask. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class PendingRefundReconcilerTest extends RefundTestBase {

    @Inject PendingRefundReconciler reconciler;

    @Test
    void aRefundLeftPendingAfterALostAnswerIsRecordedOnceChaiPortCanTell() {
        givenPayment("order-janitor", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofSeconds(3)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-janitor",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"))
                .statusCode(202);
        assertTrue(stored("order-janitor").containsKey("cancelpay_pending"));
        assertEquals("UNKNOWN", onlyRefund("order-janitor").getString("status"));

        // The caller polls its refund: UNKNOWN until the janitor has settled it, then SUCCEEDED.
        String refundId = onlyRefund("order-janitor").getString("_id");
        pollRefund("order-janitor", refundId)
                .body("refund.status", org.hamcrest.Matchers.equalTo("UNKNOWN"));
        assertEquals(1, reconciler.reconcile().await().atMost(Duration.ofSeconds(10)));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                "SUCCEEDED"
                                        .equals(
                                                pollRefund("order-janitor", refundId)
                                                        .extract()
                                                        .path("refund.status")));
        pollRefund("order-janitor", refundId)
                .body("refund.amount", org.hamcrest.Matchers.equalTo(2000))
                .body("payment.cancel_amount", org.hamcrest.Matchers.equalTo(2000))
                .body("payment.pending_refund_id", org.hamcrest.Matchers.nullValue())
                .body(
                        "refund.cancellation.cancellation_id",
                        org.hamcrest.Matchers.equalTo(
                                atChaiPort("order-janitor")
                                        .cancelHistory()
                                        .get(0)
                                        .cancellationId()))
                .body("refund.attempts.size()", org.hamcrest.Matchers.equalTo(1));

        Document row = stored("order-janitor");
        assertEquals(2000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-janitor");
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(
                1, chaiPort.calls(Endpoint.CANCEL).size(), "settled by asking, never by sending");
        assertEquals("SUCCEEDED", onlyRefund("order-janitor").getString("status"));
        assertLedgerAgreesWithChaiPort("order-janitor");
    }

    @Test
    void aCrashedInstancesRefundsAreSettledAndOrdersBeingWorkedOnAreLeftAlone() {
        givenPayment("order-crashed", "card", 10000);
        givenPayment("order-unsent", "card", 10000);
        givenPayment("order-busy", "card", 10000);
        Instant longAgo = Instant.now().minusSeconds(120);
        // Died after sending; ChaiPort never executed it.
        givenCrashedMidSend("order-crashed", "rf_crashed", 3000, longAgo);
        // Died after recording, before pointing the order at it (so before sending).
        givenCrashedMidSend("order-unsent", "rf_unsent", 2000, longAgo);
        payments()
                .updateOne(
                        new Document("merchant_uid", "order-unsent"),
                        new Document("$unset", new Document("cancelpay_pending", "")));
        // A live request of another replica holds its order.
        givenCrashedMidSend("order-busy", "rf_live", 1000, longAgo);
        collection("refund_locks").deleteOne(new Document("_id", "order-busy"));
        givenLockHeldBy("order-busy", "live", Instant.now().plusSeconds(60));

        // Two orders pointing at a refund, then the two refunds still open (the unsent one, the
        // live one).
        assertEquals(4, reconciler.reconcile().await().atMost(Duration.ofSeconds(10)));

        Document crashed = onlyRefund("order-crashed");
        assertEquals("FAILED", crashed.getString("status"));
        assertEquals(
                "REFUND_NOT_EXECUTED", crashed.get("failure", Document.class).getString("code"));
        assertEquals(
                0,
                number(stored("order-crashed"), "cancel_amount"),
                "ChaiPort never executed it: nothing refunded");
        assertOrderFree(stored("order-crashed"));

        Document unsent = onlyRefund("order-unsent");
        assertEquals("FAILED", unsent.getString("status"));
        assertEquals("NOT_SENT", unsent.get("failure", Document.class).getString("code"));
        assertOrderFree(stored("order-unsent"));

        assertEquals("live", lockHolder("order-busy"));
        assertEquals(
                "PENDING",
                onlyRefund("order-busy").getString("status"),
                "the live request's refund is its own business");
        assertTrue(stored("order-busy").containsKey("cancelpay_pending"));
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        assertEquals(
                1,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "asked only about the refund that may have been sent");
        assertEquals(0, chaiPort.executedCancels());
    }

    @Test
    void idempotencyKeysPastTheirRetentionArePurged() {
        // Each reservation names its refund: refund_id is uniquely indexed.
        collection("idempotency_keys")
                .insertMany(
                        java.util.List.of(
                                new Document("_id", "old")
                                        .append("refund_id", "rf_old")
                                        .append(
                                                "expires_at",
                                                Date.from(Instant.now().minusSeconds(1))),
                                new Document("_id", "fresh")
                                        .append("refund_id", "rf_fresh")
                                        .append(
                                                "expires_at",
                                                Date.from(Instant.now().plusSeconds(3600)))));

        assertEquals(1L, reconciler.purgeExpiredKeys().await().atMost(Duration.ofSeconds(10)));

        assertEquals(
                java.util.List.of("fresh"),
                collection("idempotency_keys")
                        .find()
                        .map(key -> key.getString("_id"))
                        .into(new java.util.ArrayList<>()));
    }

    private static io.restassured.response.ValidatableResponse pollRefund(
            String merchantUid, String refundId) {
        return io.restassured.RestAssured.given()
                .auth()
                .oauth2(kr.cancelpay.testsupport.TestJwt.reader())
                .get("/payments/" + merchantUid + "/refunds/" + refundId)
                .then()
                .statusCode(200);
    }
}
