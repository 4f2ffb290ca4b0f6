package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import jakarta.inject.Inject;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.sandbox.Fault;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;

/** The janitor settles refunds left pending without waiting for anyone to ask. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class PendingRefundReconcilerTest extends RefundTestBase {

    @Inject
    PendingRefundReconciler reconciler;

    @Test
    void aRefundLeftPendingAfterALostAnswerIsRecordedOnceChaiPortCanTell() {
        givenPayment("order-janitor", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofSeconds(3)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        postCancel(Map.of("merchant_uid", "order-janitor", "cancel_request_amount", 2000, "reason", "x")).statusCode(202);
        assertTrue(stored("order-janitor").containsKey("cancelpay_pending"));

        assertEquals(1, reconciler.reconcile().await().atMost(Duration.ofSeconds(10)));

        Document row = stored("order-janitor");
        assertEquals(2000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-janitor");
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, chaiPort.calls(Endpoint.CANCEL).size(), "settled by asking, never by sending");
    }

    @Test
    void aFirstSendThatExecutesLateIsNeverWipedAndIsRecordedOnceItHasHappened() {
        givenPayment("order-late", "card", 10000);
        // Send 1: held at ChaiPort, executed only after we gave up and looked; send 2: refused.
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hangThenExecute(Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 3L)));
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.httpStatus(400));

        postCancel(Map.of("merchant_uid", "order-late", "cancel_request_amount", 2000, "reason", "x"))
                .statusCode(202)
                .body("code", org.hamcrest.Matchers.equalTo("REFUND_PENDING"));
        assertTrue(stored("order-late").containsKey("cancelpay_pending"), "kept: send 1 may still execute");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> chaiPort.executedCancels() == 1);
        assertEquals(1, reconciler.reconcile().await().atMost(Duration.ofSeconds(10)));

        Document row = stored("order-late");
        assertEquals(2000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-late");
        assertEquals(2, chaiPort.calls(Endpoint.CANCEL).size());
        assertEquals(1, chaiPort.executedCancels());
    }

    @Test
    void aCrashedInstancesUnsentRefundIsClearedAndOrdersBeingWorkedOnAreLeftAlone() {
        givenPayment("order-crashed", "card", 10000);
        givenPayment("order-busy", "card", 10000);
        Document pending = new Document("refund_id", "crashed").append("amount", 3000L).append("cancel_amount_before", 0L)
                .append("reason", "x").append("requested_at", Date.from(Instant.now().minusSeconds(120)));
        payments().updateOne(new Document("merchant_uid", "order-crashed"), new Document("$set", new Document("cancelpay_pending", pending)
                .append("cancelpay_lock", new Document("owner", "crashed").append("until", Date.from(Instant.now().minusSeconds(1))))));
        Document liveLock = new Document("owner", "live").append("until", Date.from(Instant.now().plusSeconds(60)));
        payments().updateOne(new Document("merchant_uid", "order-busy"), new Document("$set",
                new Document("cancelpay_pending", pending.append("refund_id", "live")).append("cancelpay_lock", liveLock)));

        assertEquals(2, reconciler.reconcile().await().atMost(Duration.ofSeconds(10)));

        Document crashed = stored("order-crashed");
        assertNull(crashed.get("cancel_amount"), "ChaiPort never saw it: nothing to record");
        assertOrderFree(crashed);
        Document busy = stored("order-busy");
        assertEquals(liveLock, busy.get("cancelpay_lock", Document.class));
        assertFalse(!busy.containsKey("cancelpay_pending"), "the live request's pending refund is its own business");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        assertEquals(0, chaiPort.executedCancels());
    }
}
