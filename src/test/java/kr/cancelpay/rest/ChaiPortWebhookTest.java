package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static kr.cancelpay.testsupport.Webhooks.assertNotSynced;
import static kr.cancelpay.testsupport.Webhooks.assertReceived;
import static kr.cancelpay.testsupport.Webhooks.concurrently;
import static kr.cancelpay.testsupport.Webhooks.webhook;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import kr.cancelpay.client.ChaiPortClient;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.RecordedCall;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * ChaiPort's webhook: a hint of which order to re-query, never a source of figures, and an answer
 * that tells its anonymous sender nothing: {@code {"received":true}} for any order, a problem
 * without payment data when the order could not be synced now (so ChaiPort resends it).
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ChaiPortWebhookTest extends RefundTestBase {

    @Test
    void aRefundMadeInChaiPortsConsoleIsSyncedFromTheRequeryNotFromTheBody() {
        givenPayment("order-console", "card", 10000);
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-console", "order-console", "card", 10000)
                        .withCancelled(2500, "console"));

        // The body lies about the status; only the re-query counts.
        assertReceived(
                webhook(
                        Map.of(
                                "imp_uid",
                                "imp_forged",
                                "merchant_uid",
                                "order-console",
                                "status",
                                "cancelled")));

        // Asked once without the lock (anything new?) and once under it (sync from the latest
        // figures).
        assertEquals(
                List.of("/payments/imp_order-console", "/payments/imp_order-console"),
                chaiPort.calls(Endpoint.GET_PAYMENT).stream().map(call -> call.path()).toList(),
                "re-queried by the stored imp_uid, not the body's");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        Document row = stored("order-console");
        assertEquals(2500, number(row, "cancel_amount"));
        assertEquals("paid", row.getString("status"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-console");

        Document found = onlyRefund("order-console");
        assertEquals(
                "chaiport",
                found.getString("source"),
                "a cancel we never sent enters the ledger as ChaiPort's");
        assertEquals("SUCCEEDED", found.getString("status"));
        assertEquals(2500, number(found, "amount"));
        assertEquals(
                atChaiPort("order-console").cancelHistory().get(0).cancellationId(),
                found.get("cancellation", Document.class).getString("cancellation_id"));
        assertLedgerAgreesWithChaiPort("order-console");

        // Duplicate and out-of-order notifications change nothing more.
        assertReceived(
                webhook(
                        Map.of(
                                "imp_uid",
                                "imp_order-console",
                                "merchant_uid",
                                "order-console",
                                "status",
                                "paid")));
        assertReceived(
                webhook(
                        Map.of(
                                "imp_uid",
                                "imp_order-console",
                                "merchant_uid",
                                "order-console",
                                "status",
                                "cancelled")));
        assertReceived(
                webhook(
                        Map.of(
                                "imp_uid",
                                "imp_order-console",
                                "merchant_uid",
                                "order-console",
                                "status",
                                "ready")));
        assertStoredEqualsChaiPort("order-console");
        assertEquals(found, onlyRefund("order-console"), "the ledger entry is untouched");
        assertLedgerAgreesWithChaiPort("order-console");
    }

    @Test
    void aPendingRefundIsSettledByTheWebhook() {
        givenPayment("order-hooked", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofSeconds(3)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hooked",
                                "cancel_request_amount",
                                4000,
                                "reason",
                                "x"))
                .statusCode(202);
        assertTrue(stored("order-hooked").containsKey("cancelpay_pending"));

        assertReceived(
                webhook(
                        Map.of(
                                "imp_uid",
                                "imp_order-hooked",
                                "merchant_uid",
                                "order-hooked",
                                "status",
                                "paid")));

        assertEquals(1, chaiPort.executedCancels());
        Document row = stored("order-hooked");
        assertEquals(4000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-hooked");
        assertEquals("SUCCEEDED", onlyRefund("order-hooked").getString("status"));
        assertLedgerAgreesWithChaiPort("order-hooked");
    }

    @Test
    void aWebhookForAnOrderBeingRefundedWaitsOnlyWhenThereIsSomethingToSyncAndThenAsksForAResend() {
        givenPayment("order-busy", "card", 10000);
        givenLockHeldBy("order-busy", "other", Instant.now().plusSeconds(60));

        // Nothing new at ChaiPort: acknowledged at once, the refund in progress is not disturbed.
        assertReceived(webhook(Map.of("merchant_uid", "order-busy")));
        assertEquals("other", lockHolder("order-busy"));

        // Something new: it needs the lock, which a refund holds. Not acknowledged, so ChaiPort
        // resends it.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-busy", "order-busy", "card", 10000)
                        .withCancelled(500, "console"));
        assertNotSynced(webhook(Map.of("merchant_uid", "order-busy")), "order-busy");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        Document row = stored("order-busy");
        assertNull(row.get("cancel_amount"));
        assertEquals(List.of(), ledger("order-busy"));
        assertEquals("other", lockHolder("order-busy"), "the refund keeps its lock");

        // ChaiPort's resend, once the refund is done, brings the console's cancel in.
        collection("refund_locks").deleteOne(new Document("_id", "order-busy"));
        assertReceived(webhook(Map.of("merchant_uid", "order-busy")));
        assertOrderFree(stored("order-busy"));
        assertStoredEqualsChaiPort("order-busy");
        assertLedgerAgreesWithChaiPort("order-busy");
    }

    @Test
    void aWebhookThatCannotAskChaiPortIsNotAcknowledgedAndItsResendSyncs() {
        givenPayment("order-pg-down", "card", 10000);
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-pg-down", "order-pg-down", "card", 10000)
                        .withCancelled(700, "console"));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));

        assertNotSynced(webhook(Map.of("merchant_uid", "order-pg-down")), "order-pg-down");
        assertEquals(
                1,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "no retry of its own: ChaiPort's resend is the retry");
        assertNull(stored("order-pg-down").get("cancel_amount"));
        assertEquals(List.of(), ledger("order-pg-down"));
        assertOrderFree(stored("order-pg-down"));

        assertReceived(webhook(Map.of("merchant_uid", "order-pg-down")));
        assertStoredEqualsChaiPort("order-pg-down");
        assertLedgerAgreesWithChaiPort("order-pg-down");
    }

    @Test
    void aRefundWhoseOutcomeChaiPortCannotTellYetIsNotAcknowledged() {
        givenPayment("order-untold", "card", 10000);
        givenCrashedMidSend("order-untold", "rf_untold", 3000, Instant.now().minusSeconds(60));
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));

        assertNotSynced(webhook(Map.of("merchant_uid", "order-untold")), "order-untold");

        Document refund = onlyRefund("order-untold");
        assertEquals(
                "PENDING",
                refund.getString("status"),
                "nothing concluded from an answer without its figure");
        assertEquals(
                "rf_untold",
                stored("order-untold")
                        .get("cancelpay_pending", Document.class)
                        .getString("refund_id"));
        assertEquals(0, chaiPort.executedCancels());
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        assertNull(
                lockHolder("order-untold"),
                "the webhook took the dead request's lock over, and released it");
    }

    @Test
    void aFormEncodedWebhookWorksToo() {
        givenPayment("order-form", "card", 10000);
        assertReceived(
                given().contentType(ContentType.URLENC)
                        .formParam("imp_uid", "imp_order-form")
                        .formParam("merchant_uid", "order-form")
                        .formParam("status", "paid")
                        .post("/webhooks/chaiport")
                        .then());
        assertEquals(1, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertOrderFree(stored("order-form"));
    }

    @Test
    void anUnknownOrderIsAcknowledgedLikeAKnownOneAndAnEmptyNotificationIsRefused() {
        givenPayment("order-known", "card", 10000);
        String known = assertReceived(webhook(Map.of("merchant_uid", "order-known")));
        String unknown = assertReceived(webhook(Map.of("merchant_uid", "order-none")));
        assertEquals(known, unknown, "the same answer: a stranger cannot tell which orders exist");
        assertEquals(
                1,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "nothing asked at ChaiPort for an order we do not have");
        assertEquals(0, payments().countDocuments(new Document("merchant_uid", "order-none")));
        assertEquals(0, refunds().countDocuments());

        int callsBefore = chaiPort.calls().size();
        webhook(Map.of("imp_uid", "imp_x"))
                .statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"));
        assertEquals(
                callsBefore,
                chaiPort.calls().size(),
                "a notification without merchant_uid asks ChaiPort nothing");
    }

    @Test
    void fiftyConcurrentNotificationsOfOneOrderCauseAHandfulOfLookupsAndOneSync() throws Exception {
        givenPayment("order-flood", "card", 10000);
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-flood", "order-flood", "card", 10000)
                        .withCancelled(1500, "console"));
        // Each lookup takes a second, so the flood arrives while the first sync is under way.
        chaiPort.setLatency(Duration.ofSeconds(1));

        List<Response> answers = concurrently(50, i -> Map.of("merchant_uid", "order-flood"));

        answers.forEach(answer -> assertReceived(answer.then()));
        int lookups = chaiPort.calls(Endpoint.GET_PAYMENT).size();
        // One sync (a look, then a look under the lock) and one after it for everyone who came
        // meanwhile;
        // a little slack for stragglers of a busy machine. Without coalescing: 50 looks or more.
        assertTrue(
                lookups >= 2 && lookups <= 5, "ChaiPort lookups for 50 notifications: " + lookups);
        assertOrderFree(stored("order-flood"));
        assertEquals(
                1,
                ledger("order-flood").size(),
                "the console's cancel recorded once: " + ledger("order-flood"));
        assertStoredEqualsChaiPort("order-flood");
        assertLedgerAgreesWithChaiPort("order-flood");
    }

    @Test
    void aNotificationArrivingWhileTheOrderIsBeingSyncedIsServedByASyncThatStartsAfterIt()
            throws Exception {
        givenPayment("order-late-news", "card", 10000);
        // The first notification's look sees nothing new, and its answer is held a while.
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.latency(Duration.ofMillis(1500)));
        CompletableFuture<Response> first =
                CompletableFuture.supplyAsync(
                        () ->
                                given().contentType(ContentType.JSON)
                                        .body(Map.of("merchant_uid", "order-late-news"))
                                        .post("/webhooks/chaiport"));
        chaiPort.awaitCalls(Endpoint.GET_PAYMENT, 1, Duration.ofSeconds(10));

        // Meanwhile a cancel happens in ChaiPort's console and its notification arrives.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-late-news", "order-late-news", "card", 10000)
                        .withCancelled(900, "console"));
        assertReceived(webhook(Map.of("merchant_uid", "order-late-news")));
        assertReceived(first.get().then());

        Document row = stored("order-late-news");
        assertEquals(
                900,
                number(row, "cancel_amount"),
                "the late notification was not answered from the earlier look");
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-late-news");
        assertLedgerAgreesWithChaiPort("order-late-news");
        assertEquals(
                3,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "the first look, then one sync: a look and one under the lock");
    }

    @Test
    void failingWebhookLookupsOpenOnlyTheWebhooksBreakerAndRefundsGoOn() throws Exception {
        int flood = 10;
        IntStream.range(0, flood).forEach(i -> givenPayment("order-hook-" + i, "card", 1000));
        IntStream.range(0, flood)
                .forEach(i -> chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503)));

        List<Response> answers =
                concurrently(flood, i -> Map.of("merchant_uid", "order-hook-" + i));
        // The webhook's breaker is open: the next notification does not even reach ChaiPort...
        ValidatableResponse whileOpen = webhook(Map.of("merchant_uid", "order-hook-0"));
        breakerState(ChaiPortClient.WEBHOOK_LOOKUP_BREAKER, CircuitBreakerState.OPEN);
        assertEquals(
                flood,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "the webhook's breaker is open");
        assertNotSynced(whileOpen, "order-hook-0");
        for (int i = 0; i < flood; i++) {
            assertNotSynced(answers.get(i).then(), "order-hook-" + i);
            assertOrderFree(stored("order-hook-" + i));
        }
        breakerState(ChaiPortClient.LOOKUP_BREAKER, CircuitBreakerState.CLOSED);
        breakerState(ChaiPortClient.CANCEL_BREAKER, CircuitBreakerState.CLOSED);

        // ...while a refund that must look its payment up (a guide row without pay_method) goes
        // through.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-after-flood", "order-after-flood", "card", 5000));
        payments().insertOne(guideRow("imp_order-after-flood", "order-after-flood", 5000));
        postCancel(Map.of("merchant_uid", "order-after-flood", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(5000));
        List<RecordedCall> lookups = chaiPort.calls(Endpoint.GET_PAYMENT);
        assertEquals(flood + 1, lookups.size(), "the refund's own lookup reached ChaiPort");
        assertEquals("/payments/imp_order-after-flood", lookups.get(flood).path());
        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-after-flood"));
        assertLedgerAgreesWithChaiPort("order-after-flood");

        // The webhook's breaker closes again on its own (shortened delay in the test profile).
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () ->
                                webhook(Map.of("merchant_uid", "order-hook-1"))
                                                .extract()
                                                .statusCode()
                                        == 200);
    }

    @Test
    void theOpenApiDocumentShowsTheMinimalAnswerAndEveryProblem() {
        String webhook = "paths.'/webhooks/chaiport'.post";
        ValidatableResponse openApi =
                given().queryParam("format", "json")
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .body(
                                webhook + ".responses.'200'.content.'application/json'.schema.$ref",
                                equalTo("#/components/schemas/WebhookReceipt"))
                        .body(
                                "components.schemas.WebhookReceipt.properties.keySet()",
                                equalTo(Set.of("received")))
                        .body(
                                "components.schemas.WebhookReceipt.properties.received.type",
                                equalTo("boolean"));
        for (String status : new String[] {"400", "429", "503"}) {
            openApi.body(
                    webhook
                            + ".responses.'"
                            + status
                            + "'.content.'application/problem+json'.schema.$ref",
                    equalTo("#/components/schemas/Problem"));
        }
        openApi.body(webhook + ".responses.'429'.headers", hasKey("Retry-After"))
                .body(webhook + ".responses.'503'.headers", hasKey("Retry-After"))
                .body(webhook + ".responses", not(hasKey("404")))
                .body(
                        "components.schemas.Problem.properties.code.enum",
                        hasItems("WEBHOOK_RATE_LIMITED", "WEBHOOK_NOT_SYNCED"));
    }

    /**
     * A breaker's state, when the application runs in this JVM (against the packaged jar, its
     * effects are checked instead).
     */
    private static void breakerState(String name, CircuitBreakerState expected) {
        if (Arc.container() != null) {
            assertEquals(
                    expected,
                    Arc.container()
                            .instance(CircuitBreakerMaintenance.class)
                            .get()
                            .currentState(name),
                    name);
        }
    }
}
