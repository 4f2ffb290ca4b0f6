package kr.cancelpay.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.InjectedWriteFaults;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MongoDB fails at each write that follows ChaiPort's execution of a refund, in turn. The caller
 * still hears that the money moved; then the next request, the janitor or ChaiPort's webhook
 * finishes the ledger and the row; nothing is ever sent twice, and the invariants hold.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class CrashPointTest extends RefundTestBase {

    @Inject InjectedWriteFaults faults;

    @Inject PendingRefundReconciler janitor;

    /** The writes after ChaiPort executed, in the order the flow makes them. */
    static Stream<Arguments> crashPoints() {
        return Stream.of("ledger.transition", "payments.syncFigures", "locks.release")
                .flatMap(
                        write ->
                                Stream.of(
                                        Arguments.of(write, "the next request"),
                                        Arguments.of(write, "the janitor"),
                                        Arguments.of(write, "the webhook")));
    }

    @AfterEach
    void disarm() {
        faults.disarm();
    }

    @ParameterizedTest(name = "{0} fails, {1} finishes")
    @MethodSource("crashPoints")
    void aWriteThatFailsAfterTheMoneyMovedIsFinishedLater(String write, String finisher) {
        givenPayment("order-crash", "card", 10000);
        faults.fail(write, 1);

        String refundId =
                postCancel(
                                Map.of(
                                        "merchant_uid",
                                        "order-crash",
                                        "cancel_request_amount",
                                        3000,
                                        "reason",
                                        "x"))
                        .statusCode(200)
                        .body("payment.cancel_amount", equalTo(3000))
                        .extract()
                        .path("refund.refund_id");
        faults.disarm();
        assertEquals(1, chaiPort.executedCancels());
        if (write.equals("locks.release")) {
            // The lock outlives its request until its lease runs out; let it have run out.
            collection("refund_locks")
                    .updateOne(
                            new Document("_id", "order-crash"),
                            new Document(
                                    "$set",
                                    new Document(
                                            "until", Date.from(Instant.now().minusSeconds(1)))));
        }

        switch (finisher) {
            case "the next request" ->
                    postCancel(
                                    Map.of(
                                            "merchant_uid",
                                            "order-crash",
                                            "cancel_request_amount",
                                            1000,
                                            "reason",
                                            "y"))
                            .statusCode(200)
                            .body("payment.cancel_amount", equalTo(4000))
                            .body("refund.amount", equalTo(1000));
            case "the janitor" -> janitor.reconcile().await().atMost(Duration.ofSeconds(10));
            default ->
                    given().contentType(ContentType.JSON)
                            .body(Map.of("merchant_uid", "order-crash"))
                            .post("/webhooks/chaiport")
                            .then()
                            .statusCode(200);
        }

        Document first = refunds().find(new Document("_id", refundId)).first();
        assertEquals(
                "SUCCEEDED", first.getString("status"), "the refund the caller was told about");
        assertEquals("api", first.getString("source"));
        int refundsAsked = finisher.equals("the next request") ? 2 : 1;
        assertEquals(refundsAsked, cancelsSent().size(), "nothing sent twice");
        assertEquals(refundsAsked, chaiPort.executedCancels());
        assertEquals(
                List.of(),
                ledger("order-crash").stream()
                        .filter(entry -> !"SUCCEEDED".equals(entry.getString("status")))
                        .toList());
        assertOrderFree(stored("order-crash"));
        assertStoredEqualsChaiPort("order-crash");
        assertLedgerAgreesWithChaiPort("order-crash");
    }

    @org.junit.jupiter.api.Test
    void aStoreFailureAfterAnUnknownOutcomeKeepsTheKeySoTheRetryIsAnsweredNotPaidAgain() {
        givenPayment("order-crash", "card", 10000);
        chaiPort.enqueueFault(
                kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint.CANCEL,
                kr.cancelpay.dev.sandbox.Fault.executeThenHang(
                        Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 4L)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(
                    kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint.GET_PAYMENT,
                    kr.cancelpay.dev.sandbox.Fault.httpStatus(503));
        }
        // The outcome is unknown, and recording it as UNKNOWN fails: MongoDB went away just then.
        faults.fail("ledger.transition", 1);
        Map<String, Object> request =
                Map.of("merchant_uid", "order-crash", "cancel_request_amount", 3000, "reason", "x");
        postCancel(request, "key-crash").statusCode(503).body("code", equalTo("STORE_UNAVAILABLE"));
        faults.disarm();
        assertEquals(1, chaiPort.executedCancels(), "ChaiPort did execute it");

        // The caller retries with its key: the refund is found, settled and answered; never paid
        // again.
        postCancel(request, "key-crash")
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("payment.cancel_amount", equalTo(3000));

        assertEquals(1, cancelsSent().size());
        assertEquals(1, chaiPort.executedCancels());
        assertEquals("SUCCEEDED", onlyRefund("order-crash").getString("status"));
        assertOrderFree(stored("order-crash"));
        assertLedgerAgreesWithChaiPort("order-crash");
    }

    @org.junit.jupiter.api.Test
    void aRequestThatLostItsLockWhileSendingRecordsOnlyItsOwnRefund() throws Exception {
        givenPayment("order-crash", "card", 10000);
        chaiPort.enqueueFault(
                kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint.CANCEL,
                kr.cancelpay.dev.sandbox.Fault.latency(Duration.ofMillis(300)));
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> answer =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () ->
                                given().auth()
                                        .oauth2(kr.cancelpay.testsupport.TestJwt.writer())
                                        .contentType(ContentType.JSON)
                                        .body(
                                                Map.of(
                                                        "merchant_uid",
                                                        "order-crash",
                                                        "cancel_request_amount",
                                                        3000,
                                                        "reason",
                                                        "x"))
                                        .post("/payments/cancel"));
        chaiPort.awaitCalls(
                kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint.CANCEL,
                1,
                Duration.ofSeconds(10));
        // While the cancel is at ChaiPort, its lease runs out and another replica takes the order
        // over.
        collection("refund_locks")
                .updateOne(
                        new Document("_id", "order-crash"),
                        new Document("$set", new Document("token", "another-replica")));

        io.restassured.response.Response response =
                answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.asString());
        Document refund = onlyRefund("order-crash");
        assertEquals("SUCCEEDED", refund.getString("status"), "its own refund is recorded");
        Document row = stored("order-crash");
        assertEquals(
                refund.getString("_id"),
                row.get("cancelpay_pending", Document.class).getString("refund_id"),
                "the row is the new holder's to write");
        assertEquals("another-replica", lockHolder("order-crash"));

        // The new holder goes away; the janitor brings the row in line, without sending anything.
        collection("refund_locks").deleteMany(new Document());
        janitor.reconcile().await().atMost(Duration.ofSeconds(10));
        assertEquals(1, cancelsSent().size());
        assertOrderFree(stored("order-crash"));
        assertStoredEqualsChaiPort("order-crash");
        assertLedgerAgreesWithChaiPort("order-crash");
    }
}
