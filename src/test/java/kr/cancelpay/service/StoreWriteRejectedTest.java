package kr.cancelpay.service;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.InjectedWriteFaults;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MongoDB refuses a write for good, for real: just before the write, the test gives the embedded
 * MongoDB a row whose {@code cancel_history} is not an array, and the row's {@code $push} is
 * refused. That is not an outage: no 503 and no Retry-After, but a 500 {@code STORE_WRITE_REJECTED}
 * without internals, an ERROR line naming the order and the write, and a metric; and when ChaiPort
 * had already executed the refund, the caller still hears 200 and the janitor records it once a
 * person fixed the document.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class StoreWriteRejectedTest extends RefundTestBase {

    private static final String ORDER = "order-refused";
    private static final String SYNC_FIGURES = "payments.syncFigures";
    private static final Path TEST_LOG = Path.of("target", "test-logs", "quarkus-test.log");

    @Inject InjectedWriteFaults faults;

    @Inject MeterRegistry registry;

    @Inject PendingRefundReconciler janitor;

    @AfterEach
    void disarm() {
        faults.disarm();
    }

    @Test
    void aRefundChaiPortExecutedIsAnswered200AndRecordedOnceTheDocumentIsFixed() throws Exception {
        givenPayment(ORDER, "card", 10000);
        double rejectedBefore = rejected(SYNC_FIGURES);
        faults.before(SYNC_FIGURES, this::breakCancelHistory);

        postCancel(Map.of("merchant_uid", ORDER, "cancel_request_amount", 3000, "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000))
                .body("refund.amount", equalTo(3000));

        assertEquals(1, chaiPort.executedCancels());
        Document refund = onlyRefund(ORDER);
        assertEquals(
                "SUCCEEDED", refund.getString("status"), "the ledger holds the executed refund");
        Document row = stored(ORDER);
        assertEquals(
                "kept by hand", row.get("cancel_history"), "the refused write changed nothing");
        assertNull(row.get("cancel_amount"));
        assertEquals(
                refund.getString("_id"),
                row.get("cancelpay_pending", Document.class).getString("refund_id"),
                "the row still points at the refund: the janitor's cue");
        assertEquals(rejectedBefore + 1, rejected(SYNC_FIGURES));
        assertLogged(
                "MongoDB refused the write " + SYNC_FIGURES + " of order " + ORDER + " for good");

        // A person fixes the document; the janitor then records what ChaiPort executed.
        payments()
                .updateOne(
                        new Document("merchant_uid", ORDER),
                        new Document("$set", new Document("cancel_history", List.of())));
        janitor.reconcile().await().atMost(Duration.ofSeconds(10));

        assertEquals(3000, number(stored(ORDER), "cancel_amount"));
        assertOrderFree(stored(ORDER));
        assertStoredEqualsChaiPort(ORDER);
        assertLedgerAgreesWithChaiPort(ORDER);
        assertEquals(1, chaiPort.executedCancels());
    }

    @Test
    void aWriteRefusedBeforeAnySendIsA500WithoutInternalsAndTheKeyIsKeptForTheRetry() {
        givenPayment(ORDER, "card", 10000);
        // A crashed instance had sent 4000, ChaiPort executed it, and the row still points at it.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_" + ORDER, ORDER, "card", 10000).withCancelled(4000, "x"));
        givenCrashedMidSend(ORDER, "rf_crashed", 4000, Instant.now());
        double rejectedBefore = rejected(SYNC_FIGURES);
        faults.before(SYNC_FIGURES, this::breakCancelHistory);
        Map<String, Object> refund =
                Map.of("merchant_uid", ORDER, "cancel_request_amount", 1000, "reason", "x");

        // Settling the crashed refund first, the row's figures are refused: nothing new is sent.
        Map<String, Object> problem =
                postCancel(refund, "key-refused")
                        .statusCode(500)
                        .contentType("application/problem+json")
                        .header("Retry-After", (String) null)
                        .body("status", equalTo(500))
                        .body("code", equalTo("STORE_WRITE_REJECTED"))
                        .body("type", equalTo("urn:cancelpay:problem:store-write-rejected"))
                        .extract()
                        .as(Map.class);
        assertEquals(
                List.of("type", "title", "status", "detail", "code"),
                List.copyOf(problem.keySet()));
        String detail = (String) problem.get("detail");
        for (String internal :
                List.of(
                        "cancel_history",
                        "Mongo",
                        "code",
                        "payments",
                        "syncFigures",
                        "array",
                        ORDER)) {
            assertFalse(detail.contains(internal), "internals in the problem: " + detail);
        }
        assertTrue(cancelsSent().isEmpty(), "nothing was sent");
        assertEquals(
                List.of("rf_crashed"),
                ledger(ORDER).stream().map(entry -> entry.getString("_id")).toList(),
                "no refund was recorded for the refused request");
        assertEquals(rejectedBefore + 1, rejected(SYNC_FIGURES));

        // The key is neither freed nor given an answer: its lease ends, so a retry looks at the
        // ledger first.
        Document key = collection("idempotency_keys").find().first();
        assertNull(key.get("answer"));
        assertEquals(new Date(0), key.getDate("lease_until"));

        // Once the document is fixed, the retry with the same key refunds, once.
        payments()
                .updateOne(
                        new Document("merchant_uid", ORDER),
                        new Document("$set", new Document("cancel_history", List.of())));
        postCancel(refund, "key-refused")
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000))
                .body("refund.amount", equalTo(1000));
        assertEquals(1, cancelsSent().size());
        assertOrderFree(stored(ORDER));
        assertStoredEqualsChaiPort(ORDER);
        assertLedgerAgreesWithChaiPort(ORDER);
    }

    @Test
    void aRefundChaiPortExecutedIsAnswered200WhenItsLockCannotBeConfirmedAfterwards() {
        givenPayment(ORDER, "card", 10000);
        // A fresh lease needs no renewal before the send (RequestBudget.leaseStillCovers); the
        // lock is renewed after it, to confirm it: MongoDB is gone for that renewal.
        faults.fail("locks.renew", 1);

        postCancel(Map.of("merchant_uid", ORDER, "cancel_request_amount", 3000, "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000));

        assertEquals(1, chaiPort.executedCancels());
        assertEquals(
                "SUCCEEDED",
                onlyRefund(ORDER).getString("status"),
                "recorded in the ledger, as a lock lost");
        janitor.reconcile().await().atMost(Duration.ofSeconds(10));
        assertOrderFree(stored(ORDER));
        assertStoredEqualsChaiPort(ORDER);
        assertLedgerAgreesWithChaiPort(ORDER);
    }

    /**
     * What a person or another program might leave in the row; the driver would refuse to read it,
     * MongoDB to push onto it.
     */
    private void breakCancelHistory() {
        payments()
                .updateOne(
                        new Document("merchant_uid", ORDER),
                        new Document("$set", new Document("cancel_history", "kept by hand")));
    }

    private double rejected(String write) {
        Counter counter =
                registry.find("cancelpay.store.write.rejected").tag("write", write).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertLogged(String text) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                assertTrue(
                                        Files.readString(TEST_LOG).contains(text),
                                        "not in " + TEST_LOG + ": " + text));
    }
}
