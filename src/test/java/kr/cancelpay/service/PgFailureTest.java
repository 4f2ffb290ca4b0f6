package kr.cancelpay.service;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * When ChaiPort is slow, broken or gone. The rule under test: a cancel is never sent again before
 * ChaiPort has said the previous one did not happen, and the stored row always ends equal to
 * ChaiPort's truth or marked pending.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class PgFailureTest extends RefundTestBase {

    /** Longer than the cancel timeout: the answer never arrives in time. */
    private static final Duration LOST =
            Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 4L);

    @Test
    void aTimeoutAfterChaiPortExecutedTheCancelIsSettledAs200WithoutSendingAgain() {
        givenPayment("order-lost-answer", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(LOST));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-lost-answer",
                                "cancel_request_amount",
                                3000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000))
                .body("payment.cancelable_amount", equalTo(7000))
                .body("refund.amount", equalTo(3000))
                .body(
                        "refund.cancellation.cancellation_id",
                        equalTo(
                                atChaiPort("order-lost-answer")
                                        .cancelHistory()
                                        .get(0)
                                        .cancellationId()));

        assertEquals(1, cancelsSent().size(), "sent once");
        assertEquals(1, chaiPort.executedCancels());
        assertTrue(
                chaiPort.calls(Endpoint.GET_PAYMENT).size() >= 1,
                "ChaiPort was asked what happened");
        assertOrderFree(stored("order-lost-answer"));
        assertStoredEqualsChaiPort("order-lost-answer");
        assertLedgerAgreesWithChaiPort("order-lost-answer");
    }

    @Test
    void aTimeoutWithoutExecutionIsConfirmedThenSentOnceMoreWithTheSameChecksum() {
        givenPayment("order-timeout", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hang(LOST));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-timeout",
                                "cancel_request_amount",
                                3000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000));

        List<JsonNode> sent = cancelsSent();
        assertEquals(2, sent.size());
        for (JsonNode cancel : sent) {
            assertEquals(3000, cancel.get("amount").asLong());
            assertEquals(
                    10000,
                    cancel.get("checksum").asLong(),
                    "the same checksum guards the second send");
        }
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertOrderFree(stored("order-timeout"));
        assertStoredEqualsChaiPort("order-timeout");
        assertLedgerAgreesWithChaiPort("order-timeout");
    }

    @Test
    void a5xxAfterExecutionIsSettledAs200() {
        givenPayment("order-500-done", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenStatus(500));

        postCancel(Map.of("merchant_uid", "order-500-done", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(10000))
                .body("payment.status", equalTo("cancelled"));

        assertEquals(1, cancelsSent().size());
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-500-done"));
        assertStoredEqualsChaiPort("order-500-done");
        assertLedgerAgreesWithChaiPort("order-500-done");
    }

    @Test
    void a5xxWithoutExecutionIsSentOnceMore() {
        givenPayment("order-503", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.httpStatus(503));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-503",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(2, cancelsSent().size());
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-503"));
        assertStoredEqualsChaiPort("order-503");
        assertLedgerAgreesWithChaiPort("order-503");
    }

    @Test
    void twoUnansweredSendsAreNeverTakenForCertainlyNotExecuted() {
        givenPayment("order-twice-lost", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hang(LOST));
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hang(LOST));

        // Either send may still execute at ChaiPort: pending, not "safe to retry".
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-twice-lost",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(202)
                .body("refund.status", equalTo("UNKNOWN"));

        assertEquals(2, cancelsSent().size(), "never a third send");
        assertEquals(0, chaiPort.executedCancels());
        Document row = stored("order-twice-lost");
        assertNull(row.get("cancel_amount"));
        Document refund = onlyRefund("order-twice-lost");
        assertEquals("UNKNOWN", refund.getString("status"));
        assertEquals(1000, number(refund, "amount"));
        assertEquals(
                List.of("unknown", "unknown"),
                refund.getList("attempts", Document.class).stream()
                        .map(attempt -> attempt.getString("outcome"))
                        .toList());
        assertEquals(
                refund.getString("_id"),
                row.get("cancelpay_pending", Document.class).getString("refund_id"),
                "the order points at it: no other cancel until it is settled");
        assertNull(lockHolder("order-twice-lost"), "the lock is released");

        // The next request finds ChaiPort's figure unchanged, clears the pending refund and goes
        // through.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-twice-lost",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-twice-lost"));
        assertStoredEqualsChaiPort("order-twice-lost");
        assertLedgerAgreesWithChaiPort("order-twice-lost");
        List<Document> entries = ledger("order-twice-lost");
        assertEquals(
                List.of("FAILED", "SUCCEEDED"),
                entries.stream().map(entry -> entry.getString("status")).toList());
        assertEquals(
                "REFUND_NOT_EXECUTED",
                entries.get(0).get("failure", Document.class).getString("code"));
        assertLedgerAgreesWithChaiPort("order-twice-lost");
    }

    @Test
    void aResendThatFailsIsNotTakenAsTheLastWordWhenChaiPortShowsTheRefundExecuted() {
        givenPayment("order-resend-refused", "card", 10000);
        // Send 1 is lost unexecuted and ChaiPort confirms it; send 2 executes but its answer is an
        // error.
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hang(LOST));
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenStatus(400));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-resend-refused",
                                "cancel_request_amount",
                                3000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000));

        assertEquals(2, cancelsSent().size());
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(
                2,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "asked again after the failed resend");
        assertOrderFree(stored("order-resend-refused"));
        assertStoredEqualsChaiPort("order-resend-refused");
        assertLedgerAgreesWithChaiPort("order-resend-refused");
    }

    @Test
    void whenChaiPortIsDownTheAnswerIs503AndNothingChanges() {
        givenPayment("order-pg-down", "card", 10000);
        int port = chaiPort.port();
        chaiPort.stop();
        try {
            postCancel(Map.of("merchant_uid", "order-pg-down", "reason", "x"))
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("PG_UNAVAILABLE"));
        } finally {
            chaiPort.start(port);
        }
        assertTrue(chaiPort.calls().isEmpty());
        assertEquals(0, chaiPort.executedCancels());
        assertEquals(0, atChaiPort("order-pg-down").cancelAmount());
        Document row = stored("order-pg-down");
        assertNull(row.get("cancel_amount"));
        assertOrderFree(row);

        Document refused = onlyRefund("order-pg-down");
        assertEquals("FAILED", refused.getString("status"), "told 503: recorded as not executed");
        assertEquals("PG_UNAVAILABLE", refused.get("failure", Document.class).getString("code"));

        // ChaiPort is back: the same request now goes through.
        postCancel(Map.of("merchant_uid", "order-pg-down", "reason", "x")).statusCode(200);
        assertStoredEqualsChaiPort("order-pg-down");
        assertLedgerAgreesWithChaiPort("order-pg-down");
    }

    @Test
    void whenChaiPortCannotTellTheRefundIsPending202AndARetryWithItsKeyIsAnsweredNotPaidTwice() {
        givenPayment("order-unknown", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(LOST));
        unreachableLookups();

        Map<String, Object> request =
                Map.of(
                        "merchant_uid",
                        "order-unknown",
                        "cancel_request_amount",
                        3000,
                        "reason",
                        "파손");
        String refundId =
                postCancel(request, "key-unknown")
                        .statusCode(202)
                        .contentType("application/json")
                        .header(
                                "Location",
                                org.hamcrest.Matchers.matchesPattern(
                                        "http://[^/]+/payments/order-unknown/refunds/rf_[A-Za-z0-9_-]{26}"))
                        .body("refund.status", equalTo("UNKNOWN"))
                        .body("refund.merchant_uid", equalTo("order-unknown"))
                        .body("refund.amount", equalTo(3000))
                        .body("payment.paid_amount", equalTo(10000))
                        .body("payment.cancel_amount", equalTo(0))
                        .body("payment.pending_refund_id", notNullValue())
                        .extract()
                        .path("refund.refund_id");

        Document row = stored("order-unknown");
        Document refund = onlyRefund("order-unknown");
        assertEquals(refundId, refund.getString("_id"));
        assertEquals("UNKNOWN", refund.getString("status"));
        assertEquals(3000, number(refund, "amount"));
        assertEquals(0, number(refund, "cancel_amount_before"));
        assertEquals(10000, number(refund, "checksum"));
        assertEquals(refundId, row.get("cancelpay_pending", Document.class).getString("refund_id"));
        assertNull(
                lockHolder("order-unknown"),
                "the lock is released; the pointer blocks new cancels");
        assertNull(row.get("cancel_amount"));
        assertEquals(1, chaiPort.executedCancels(), "ChaiPort did execute it");

        // The caller polls the refund while ChaiPort still cannot tell: still UNKNOWN.
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(kr.cancelpay.testsupport.TestJwt.reader())
                .get("/payments/order-unknown/refunds/" + refundId)
                .then()
                .statusCode(200)
                .body("refund.status", equalTo("UNKNOWN"))
                .body("refund.attempts.size()", equalTo(1))
                .body("payment.pending_refund_id", equalTo(refundId));

        // The caller repeats the request with its key: the refund is settled and answered, not paid
        // again.
        postCancel(request, "key-unknown")
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("refund.refund_id", equalTo(refundId))
                .body("payment.cancel_amount", equalTo(3000))
                .body("refund.amount", equalTo(3000));

        assertEquals(1, cancelsSent().size());
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-unknown"));
        assertStoredEqualsChaiPort("order-unknown");
        assertEquals("SUCCEEDED", onlyRefund("order-unknown").getString("status"));
        assertLedgerAgreesWithChaiPort("order-unknown");
    }

    @Test
    void aPendingRefundThatDidNotExecuteIsClearedBeforeADifferentRefund() {
        givenPayment("order-unknown-2", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.hang(LOST));
        unreachableLookups();
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-unknown-2",
                                "cancel_request_amount",
                                3000,
                                "reason",
                                "x"))
                .statusCode(202);

        // Still unknowable: a new refund must wait, nothing is sent.
        unreachableLookups();
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-unknown-2",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "y"))
                .statusCode(409)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("REFUND_IN_PROGRESS"));
        assertEquals(1, cancelsSent().size());

        // ChaiPort answers again: the earlier refund turns out not executed, the new one goes
        // through.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-unknown-2",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "y"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(2000));

        assertEquals(2, cancelsSent().size());
        assertEquals(2000, cancelsSent().get(1).get("amount").asLong());
        assertEquals(10000, cancelsSent().get(1).get("checksum").asLong());
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-unknown-2"));
        assertStoredEqualsChaiPort("order-unknown-2");
        assertLedgerAgreesWithChaiPort("order-unknown-2");
    }

    @Test
    void aRefundLeftPendingByACrashedInstanceIsSettledByTheNextRequest() {
        givenPayment("order-crash", "card", 10000);
        // The crashed instance had sent 4000 (ChaiPort executed it) and died before recording it.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-crash", "order-crash", "card", 10000)
                        .withCancelled(4000, "x"));
        givenCrashedMidSend("order-crash", "rf_crashed", 4000, Instant.now());

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-crash",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "another"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000))
                .body("refund.amount", equalTo(1000));

        assertEquals(1, cancelsSent().size());
        assertEquals(
                6000,
                cancelsSent().get(0).get("checksum").asLong(),
                "checksum after the settled 4000");
        Document row = stored("order-crash");
        assertEquals(5000, number(row, "cancel_amount"));
        List<Document> history = row.getList("cancel_history", Document.class);
        assertEquals(
                List.of(4000L, 1000L), history.stream().map(h -> number(h, "amount")).toList());
        assertNotEquals(
                history.get(0).get("cancellation_id"), history.get(1).get("cancellation_id"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-crash");
        assertLedgerAgreesWithChaiPort("order-crash");
        assertEquals(
                List.of("SUCCEEDED", "SUCCEEDED"),
                ledger("order-crash").stream().map(e -> e.getString("status")).toList());
        assertEquals(
                "api",
                refunds().find(new Document("_id", "rf_crashed")).first().getString("source"),
                "the crashed refund is ours, not a cancel found at ChaiPort");
        assertLedgerAgreesWithChaiPort("order-crash");
    }

    @Test
    void aCallerWhoHangsUpDoesNotCutTheRefundInHalf() throws Exception {
        givenPayment("order-hang-up", "card", 10000);
        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.latency(Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS / 2)));

        java.net.http.HttpClient client =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .build();
        java.net.http.HttpRequest request =
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(
                                        io.restassured.RestAssured.baseURI
                                                + ":"
                                                + io.restassured.RestAssured.port
                                                + "/payments/cancel"))
                        .header(
                                "Authorization",
                                "Bearer " + kr.cancelpay.testsupport.TestJwt.writer())
                        .header("Content-Type", "application/json")
                        .POST(
                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"merchant_uid\":\"order-hang-up\",\"cancel_request_amount\":1000,\"reason\":\"x\"}"))
                        .build();
        java.util.concurrent.CompletableFuture<?> caller =
                client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        // The caller hangs up while ChaiPort is still working on the cancel (not before the request
        // even
        // began: that refund would never have started).
        chaiPort.awaitCalls(Endpoint.CANCEL, 1, Duration.ofSeconds(10));
        caller.cancel(true);

        // "Free" is also true before the request began: wait for the recorded refund, then check it
        // is free.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                ledger("order-hang-up").stream()
                                        .anyMatch(
                                                entry ->
                                                        "SUCCEEDED"
                                                                .equals(
                                                                        entry.getString(
                                                                                "status"))));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertOrderFree(stored("order-hang-up")));
        assertEquals(1000, number(stored("order-hang-up"), "cancel_amount"));
        assertEquals(1, chaiPort.executedCancels());
        assertStoredEqualsChaiPort("order-hang-up");
        assertLedgerAgreesWithChaiPort("order-hang-up");
    }

    /** getPayment fails on the first try and on both retries. */
    private void unreachableLookups() {
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
    }
}
