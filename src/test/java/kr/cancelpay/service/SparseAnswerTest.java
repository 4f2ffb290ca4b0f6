package kr.cancelpay.service;

import static kr.cancelpay.testsupport.Webhooks.assertNotSynced;
import static kr.cancelpay.testsupport.Webhooks.assertReceived;
import static kr.cancelpay.testsupport.Webhooks.webhook;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.RecordedCall;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Every field of ChaiPort's answers may be absent (or unreadable, like a fraction of a won): no
 * path may then answer 500 or take a wrong money decision. When a figure a decision needs is
 * missing the outcome is "cannot tell" (202 UNKNOWN, 409, 503), settled later from a complete
 * answer, never "not executed". Each test asserts the answer, the ledger and the row, and what
 * ChaiPort executed.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class SparseAnswerTest extends RefundTestBase {

    @Inject PendingRefundReconciler janitor;

    // ---- the cancel's own answer ---------------------------------------------------------------

    @Test
    void aCancelAnswerWithoutCancelAmountIsCheckedByAskingAndRecordedFromThatAnswer() {
        givenPayment("order-no-figure", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.answerWithout("cancel_amount"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-no-figure",
                                "cancel_request_amount",
                                4000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(4000))
                .body("refund.amount", equalTo(4000));

        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size(), "asked, never sent again");
        assertEquals(1, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertEquals("SUCCEEDED", onlyRefund("order-no-figure").getString("status"));
        assertOrderFree(stored("order-no-figure"));
        assertStoredEqualsChaiPort("order-no-figure");
        assertLedgerAgreesWithChaiPort("order-no-figure");
    }

    @Test
    void whenNeitherTheCancelNorTheLookHasAFigureTheRefundStaysUnknownUntilAnAnswerHasOne() {
        givenPayment("order-untold", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.answerWithout("cancel_amount"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));

        String refundId =
                postCancel(
                                Map.of(
                                        "merchant_uid",
                                        "order-untold",
                                        "cancel_request_amount",
                                        3000,
                                        "reason",
                                        "x"))
                        .statusCode(202)
                        .body("refund.status", equalTo("UNKNOWN"))
                        .extract()
                        .path("refund.refund_id");
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(
                "UNKNOWN",
                onlyRefund("order-untold").getString("status"),
                "cannot tell: never 'not executed'");
        assertEquals(
                refundId,
                stored("order-untold")
                        .get("cancelpay_pending", Document.class)
                        .getString("refund_id"));

        // The janitor asks again (once for the order, once for the open refund) and still gets no
        // figure: nothing moves.
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));
        janitor.reconcile().await().atMost(Duration.ofSeconds(10));
        assertEquals(3, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertEquals("UNKNOWN", onlyRefund("order-untold").getString("status"));
        assertNull(stored("order-untold").get("cancel_amount"));

        // A complete answer settles it.
        assertReceived(webhook(Map.of("merchant_uid", "order-untold")));
        assertEquals("SUCCEEDED", onlyRefund("order-untold").getString("status"));
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size());
        assertOrderFree(stored("order-untold"));
        assertLedgerAgreesWithChaiPort("order-untold");
    }

    @Test
    void aCancelAnswerWithoutHistoryRecordsTheRefundWithItsCancellationSoALaterSyncCountsItOnce() {
        givenPayment("order-no-history", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.answerWithout("cancel_history"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-no-history",
                                "cancel_request_amount",
                                2500,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(2500));

        Document refund = onlyRefund("order-no-history");
        assertEquals("SUCCEEDED", refund.getString("status"));
        assertEquals(
                atChaiPort("order-no-history").cancelHistory().get(0).cancellationId(),
                refund.get("cancellation", Document.class).getString("cancellation_id"),
                "ChaiPort was asked which cancel is this one");
        assertStoredEqualsChaiPort("order-no-history");

        // ChaiPort's notification of the same cancel finds nothing new: no second ledger entry.
        assertReceived(webhook(Map.of("merchant_uid", "order-no-history")));
        assertEquals(refund, onlyRefund("order-no-history"));
        assertEquals(1, chaiPort.executedCancels());
        assertLedgerAgreesWithChaiPort("order-no-history");
    }

    @Test
    void aRefundNoAnswerIdentifiedIsMatchedToItsCancelLaterNotCountedTwice() {
        givenPayment("order-never-told", "card", 10000);
        // Neither the cancel's answer nor the look after it shows which history entry is ours.
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.answerWithout("cancel_history"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_history"));
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-never-told",
                                "cancel_request_amount",
                                2500,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(2500));
        Document refund = onlyRefund("order-never-told");
        assertEquals("SUCCEEDED", refund.getString("status"));
        assertEquals(
                null,
                refund.get("cancellation", Document.class).getString("cancellation_id"),
                "not known yet");
        assertEquals(
                2,
                chaiPort.calls(Endpoint.GET_PAYMENT).size()
                        + chaiPort.calls(Endpoint.CANCEL).size());

        // A complete answer later (ChaiPort's notification): the cancel is that refund's, not
        // someone else's.
        assertReceived(webhook(Map.of("merchant_uid", "order-never-told")));

        Document identified = onlyRefund("order-never-told");
        assertEquals(refund.getString("_id"), identified.getString("_id"));
        assertEquals("api", identified.getString("source"));
        assertEquals(
                atChaiPort("order-never-told").cancelHistory().get(0).cancellationId(),
                identified.get("cancellation", Document.class).getString("cancellation_id"));
        assertEquals(1, chaiPort.executedCancels());
        assertStoredEqualsChaiPort("order-never-told");
        assertLedgerAgreesWithChaiPort("order-never-told");
    }

    @Test
    void aCancelAnswerWhoseHistoryEntryLacksItsAmountIsRecordedOnceWithoutAZeroWonEntry() {
        givenPayment("order-entry-no-amount", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.answerWithout("cancel_history[].amount"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-entry-no-amount",
                                "cancel_request_amount",
                                1200,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1200));

        Document refund = onlyRefund("order-entry-no-amount");
        assertEquals(1200, number(refund, "amount"));
        assertEquals("api", refund.getString("source"));
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-entry-no-amount"));
        assertStoredEqualsChaiPort("order-entry-no-amount");
        assertLedgerAgreesWithChaiPort("order-entry-no-amount");
    }

    @Test
    void aFractionalCancelAmountIsNotBelievedAndNever500() {
        givenPayment("order-fraction", "card", 10000);
        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.editAnswer(
                        "cancel_amount 1000.5",
                        envelope -> {
                            ((ObjectNode) envelope.get("response"))
                                    .put("cancel_amount", new BigDecimal("1000.5"));
                            return envelope;
                        }));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-fraction",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(
                1,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "an unreadable figure is checked by asking");
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1000, number(stored("order-fraction"), "cancel_amount"));
        assertLedgerAgreesWithChaiPort("order-fraction");

        // The same figure in a lookup: the webhook cannot tell, and says so.
        chaiPort.enqueueFault(
                Endpoint.GET_PAYMENT,
                Fault.editAnswer(
                        "cancel_amount 1000.5",
                        envelope -> {
                            ((ObjectNode) envelope.get("response"))
                                    .put("cancel_amount", new BigDecimal("1000.5"));
                            return envelope;
                        }));
        assertNotSynced(webhook(Map.of("merchant_uid", "order-fraction")), "order-fraction");
        assertEquals(1000, number(stored("order-fraction"), "cancel_amount"));
        assertLedgerAgreesWithChaiPort("order-fraction");
    }

    // ---- lookups -------------------------------------------------------------------------------

    @Test
    void anEarlierRefundIsNotSettledFromALookupWithoutCancelAmountAndNothingIsSent() {
        givenPayment("order-earlier", "card", 10000);
        givenCrashedMidSend("order-earlier", "rf_earlier", 3000, Instant.now().minusSeconds(60));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-earlier",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "y"))
                .statusCode(409)
                .body("code", equalTo("REFUND_IN_PROGRESS"));

        assertTrue(
                chaiPort.calls(Endpoint.CANCEL).isEmpty(),
                "nothing sent while the earlier refund is unsettled");
        Document earlier = onlyRefund("order-earlier");
        assertEquals(
                "PENDING",
                earlier.getString("status"),
                "never concluded 'not executed' without a figure");
        assertEquals(
                "rf_earlier",
                stored("order-earlier")
                        .get("cancelpay_pending", Document.class)
                        .getString("refund_id"));
        assertNull(lockHolder("order-earlier"), "the lock is released");
        assertEquals(0, chaiPort.executedCancels());
    }

    @Test
    void aRefusedCancelWhoseHealingLookLacksCancelAmountIsStillA422AndFreesTheOrder() {
        givenPayment("order-refused", "card", 10000);
        // A cancel made in ChaiPort's console the row does not know: our checksum is refused.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-refused", "order-refused", "card", 10000)
                        .withCancelled(2000, "console"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-refused",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(422)
                .body("code", equalTo("PG_REJECTED"));

        Document refund = onlyRefund("order-refused");
        assertEquals("FAILED", refund.getString("status"));
        assertEquals("PG_REJECTED", refund.get("failure", Document.class).getString("code"));
        assertEquals(0, chaiPort.executedCancels());
        assertOrderFree(stored("order-refused"));
        assertNull(
                stored("order-refused").get("cancel_amount"),
                "not healed from an answer without its figure");

        // A complete answer heals the row and records the console's cancel.
        assertReceived(webhook(Map.of("merchant_uid", "order-refused")));
        assertStoredEqualsChaiPort("order-refused");
        assertEquals(
                2000,
                ledger("order-refused").stream()
                        .filter(entry -> "chaiport".equals(entry.getString("source")))
                        .mapToLong(entry -> number(entry, "amount"))
                        .sum());
    }

    @Test
    void
            aConsoleCancelWhoseHistoryEntryLacksItsAmountIsNotRecordedAsZeroWonButLaterFromACompleteAnswer() {
        givenPayment("order-console-sparse", "card", 10000);
        chaiPort.putPayment(
                SandboxPayment.paid(
                                "imp_order-console-sparse", "order-console-sparse", "card", 10000)
                        .withCancelled(1500, "console"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_history[].amount"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_history[].amount"));

        assertNotSynced(
                webhook(Map.of("merchant_uid", "order-console-sparse")), "order-console-sparse");
        assertEquals(
                List.of(), ledger("order-console-sparse"), "no ledger entry of an unknown amount");
        Document row = stored("order-console-sparse");
        assertEquals(
                1500,
                number(row, "cancel_amount"),
                "ChaiPort's figure is kept: it decides what is cancelable");
        assertFalse(
                row.containsKey("cancel_history"),
                "the entry is left for an answer that has its amount");
        assertOrderFree(row);

        // ChaiPort resends; the complete answer records the cancel.
        assertReceived(webhook(Map.of("merchant_uid", "order-console-sparse")));
        assertStoredEqualsChaiPort("order-console-sparse");
        assertLedgerAgreesWithChaiPort("order-console-sparse");
    }

    @Test
    void aLookupEnvelopeWithoutCodeOrWithoutResponseIsNotAnAnswer() {
        givenPayment("order-envelope", "card", 10000);
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-envelope", "order-envelope", "card", 10000)
                        .withCancelled(800, "console"));
        chaiPort.enqueueFault(
                Endpoint.GET_PAYMENT,
                Fault.editAnswer(
                        "no code",
                        envelope -> {
                            envelope.remove("code");
                            return envelope;
                        }));
        assertNotSynced(webhook(Map.of("merchant_uid", "order-envelope")), "order-envelope");
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answer("{\"code\":0,\"message\":null}"));
        assertNotSynced(webhook(Map.of("merchant_uid", "order-envelope")), "order-envelope");

        assertNull(stored("order-envelope").get("cancel_amount"));
        assertEquals(List.of(), ledger("order-envelope"));
        assertOrderFree(stored("order-envelope"));
    }

    // ---- the access token ----------------------------------------------------------------------

    @Test
    void aTokenWithoutExpiryServesItsRefundAndIsNotKept() {
        givenPayment("order-token-1", "card", 5000);
        givenPayment("order-token-2", "card", 5000);
        chaiPort.expireAllTokens();
        chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.answerWithout("expired_at"));

        postCancel(Map.of("merchant_uid", "order-token-1", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000));
        postCancel(Map.of("merchant_uid", "order-token-2", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000));

        assertEquals(
                2,
                chaiPort.calls(Endpoint.GET_TOKEN).size(),
                "a token of unknown lifetime is used once, not cached");
        assertEquals(2, chaiPort.executedCancels());
        assertLedgerAgreesWithChaiPort("order-token-1");
        assertLedgerAgreesWithChaiPort("order-token-2");
    }

    @Test
    void aTokenAnswerWithoutAccessTokenIsNoTokenAndNoCancelLeavesWithoutOne() {
        givenPayment("order-no-token", "card", 5000);
        chaiPort.expireAllTokens();
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.answerWithout("access_token"));
        }

        postCancel(Map.of("merchant_uid", "order-no-token", "reason", "x"))
                .statusCode(503)
                .body("code", equalTo("PG_UNAVAILABLE"));

        assertEquals(3, chaiPort.calls(Endpoint.GET_TOKEN).size(), "getToken's own retries");
        for (RecordedCall cancel : chaiPort.calls(Endpoint.CANCEL)) {
            assertNotNull(cancel.authorization(), "a cancel sent without a token");
        }
        assertEquals(0, chaiPort.executedCancels());
        Document refund = onlyRefund("order-no-token");
        assertEquals("FAILED", refund.getString("status"));
        assertEquals("PG_UNAVAILABLE", refund.get("failure", Document.class).getString("code"));
        assertOrderFree(stored("order-no-token"));
    }
}
