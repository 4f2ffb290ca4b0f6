package kr.cancelpay.observability;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.service.PaymentSyncService;
import kr.cancelpay.service.PendingRefundReconciler;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.CapturedLogs;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.Webhooks;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What the runbook and the alert rules read, moved by the situations they describe: the ledger's
 * open refunds, the janitor's runs, ChaiPort lookups that fail, the two kinds of 409
 * REFUND_IN_PROGRESS, settlement conflicts (once per refund), and the audit fields of a refund's
 * outcome line. In-process only (the janitor and the gauges are run by hand).
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class OperationsMetricsTest extends RefundTestBase {

    private static final String PENDING = "cancelpay_refunds_open\\{status=\"pending\"}";
    private static final String UNKNOWN = "cancelpay_refunds_open\\{status=\"unknown\"}";
    private static final String OLDEST = "cancelpay_refunds_open_oldest_age_seconds";
    private static final String LOCKED = "cancelpay_refund_in_progress_total\\{reason=\"locked\"}";
    private static final String UNSETTLED =
            "cancelpay_refund_in_progress_total\\{reason=\"unsettled\"}";
    private static final String CONFLICTS = "cancelpay_settlement_conflicts_total";
    private static final String RUNS_COMPLETED =
            "cancelpay_janitor_runs_total\\{result=\"completed\"}";
    private static final String RUNS_FAILED = "cancelpay_janitor_runs_total\\{result=\"failed\"}";
    private static final String SETTLED = "cancelpay_janitor_settled_total";
    private static final String FAILURES = "cancelpay_janitor_failures_total";
    private static final String SETTLE_LOOKUPS_FAILED =
            "cancelpay_chaiport_lookup_failures_total\\{path=\"settle\"}";
    private static final String WEBHOOK_LOOKUPS_FAILED =
            "cancelpay_chaiport_lookup_failures_total\\{path=\"webhook\"}";

    @Inject LedgerGauges gauges;
    @Inject PendingRefundReconciler janitor;

    @Test
    void theOpenRefundGaugesCountTheLedgersOpenRefundsAndAgeTheOldest() {
        givenPayment("order-old", "card", 10000);
        givenPayment("order-new", "card", 10000);
        givenPayment("order-done", "card", 10000);
        givenCrashedMidSend("order-old", "rf_old", 1000, Instant.now().minusSeconds(15 * 60));
        givenCrashedMidSend("order-new", "rf_new", 1000, Instant.now().minusSeconds(60));
        refunds()
                .updateOne(
                        new Document("_id", "rf_new"),
                        new Document("$set", new Document("status", "UNKNOWN")));
        postCancel(Map.of("merchant_uid", "order-done", "reason", "x")).statusCode(200);

        gauges.refresh().await().atMost(Duration.ofSeconds(10));

        assertEquals(1, management.metric(PENDING), "rf_old");
        assertEquals(1, management.metric(UNKNOWN), "rf_new; the SUCCEEDED refund is not open");
        double age = management.metric(OLDEST);
        assertTrue(age >= 15 * 60 && age < 16 * 60, "the oldest is rf_old, 15 min old: " + age);

        // The janitor settles both (ChaiPort never executed them); the next count shows none.
        janitor.reconcile().await().atMost(Duration.ofSeconds(10));
        assertEquals("FAILED", onlyRefund("order-old").getString("status"));
        assertEquals("FAILED", onlyRefund("order-new").getString("status"));
        gauges.refresh().await().atMost(Duration.ofSeconds(10));
        assertEquals(0, management.metric(PENDING));
        assertEquals(0, management.metric(UNKNOWN));
        assertEquals(0, management.metric(OLDEST));
        assertEquals(1, chaiPort.executedCancels(), "only order-done's refund was executed");
    }

    @Test
    void theJanitorCountsItsRunsWhatItSettledAndWhatFailedAndWarnsWhenChaiPortCannotBeAsked() {
        givenPayment("order-janitor", "card", 10000);
        givenCrashedMidSend("order-janitor", "rf_janitor", 3000, Instant.now().minusSeconds(120));
        // The first settlement's lookup fails (every retry); the second one's is answered.
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        double runs = management.metric(RUNS_COMPLETED);
        double settled = management.metric(SETTLED);
        double failures = management.metric(FAILURES);
        double lookups = management.metric(SETTLE_LOOKUPS_FAILED);

        try (CapturedLogs sync = CapturedLogs.of(PaymentSyncService.class);
                CapturedLogs reconciler = CapturedLogs.of(PendingRefundReconciler.class)) {
            // The order pointing at the refund, then the refund still open: two items.
            assertEquals(2, janitor.reconcile().await().atMost(Duration.ofSeconds(20)));

            List<CapturedLogs.Line> lookupFailed = sync.containing("ChaiPort lookup of");
            assertEquals(1, lookupFailed.size(), sync.lines().toString());
            assertEquals(Level.WARNING, lookupFailed.get(0).level());
            assertTrue(lookupFailed.get(0).message().contains("order-janitor"));
            List<CapturedLogs.Line> notSettled = reconciler.containing("not settled this time");
            assertEquals(1, notSettled.size(), reconciler.lines().toString());
            assertEquals(Level.WARNING, notSettled.get(0).level());
            for (CapturedLogs.Line line : sync.lines()) {
                assertFalse(line.message().contains("Bearer"), line.message());
            }
        }

        assertEquals(runs + 1, management.metric(RUNS_COMPLETED));
        assertEquals(failures + 1, management.metric(FAILURES));
        assertEquals(lookups + 1, management.metric(SETTLE_LOOKUPS_FAILED));
        assertEquals(settled + 1, management.metric(SETTLED), "the second item settled it");
        assertEquals("FAILED", onlyRefund("order-janitor").getString("status"));
        assertOrderFree(stored("order-janitor"));
        assertTrue(
                chaiPort.calls(Endpoint.CANCEL).isEmpty(), "settled by asking, never by sending");

        // A run that cannot even list its work (MongoDB down) is a failed run.
        double failedRuns = management.metric(RUNS_FAILED);
        embeddedMongo.stop();
        try {
            assertEquals(0, janitor.reconcile().await().atMost(Duration.ofSeconds(30)));
        } finally {
            embeddedMongo.restart();
        }
        assertEquals(failedRuns + 1, management.metric(RUNS_FAILED));
    }

    @Test
    void aWebhookLookupThatFailsIsCountedAndLoggedAtWarn() {
        givenPayment("order-hook", "card", 10000);
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        double before = management.metric(WEBHOOK_LOOKUPS_FAILED);

        try (CapturedLogs sync = CapturedLogs.of(PaymentSyncService.class)) {
            Webhooks.assertNotSynced(
                    Webhooks.webhook(Map.of("merchant_uid", "order-hook")), "order-hook");
            List<CapturedLogs.Line> lookupFailed = sync.containing("ChaiPort lookup of");
            assertEquals(1, lookupFailed.size(), sync.lines().toString());
            assertEquals(Level.WARNING, lookupFailed.get(0).level());
            assertTrue(lookupFailed.get(0).message().contains("webhook for order-hook"));
        }
        assertEquals(before + 1, management.metric(WEBHOOK_LOOKUPS_FAILED));
    }

    @Test
    void refundInProgressIsCountedAsLockedOrUnsettled() {
        givenPayment("order-locked", "card", 10000);
        givenLockHeldBy("order-locked", "live", Instant.now().plusSeconds(60));
        givenPayment("order-unsettled", "card", 10000);
        givenCrashedMidSend(
                "order-unsettled", "rf_unsettled", 3000, Instant.now().minusSeconds(60));
        // ChaiPort's answer has no figure: the earlier refund cannot be settled now.
        chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.answerWithout("cancel_amount"));
        double locked = management.metric(LOCKED);
        double unsettled = management.metric(UNSETTLED);

        postCancel(Map.of("merchant_uid", "order-locked", "reason", "x"))
                .statusCode(409)
                .body("code", equalTo("REFUND_IN_PROGRESS"));
        assertEquals(locked + 1, management.metric(LOCKED));
        assertEquals(unsettled, management.metric(UNSETTLED));

        postCancel(Map.of("merchant_uid", "order-unsettled", "reason", "x"))
                .statusCode(409)
                .body("code", equalTo("REFUND_IN_PROGRESS"));
        assertEquals(locked + 1, management.metric(LOCKED));
        assertEquals(unsettled + 1, management.metric(UNSETTLED));

        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        assertEquals("live", lockHolder("order-locked"));
        assertEquals("PENDING", onlyRefund("order-unsettled").getString("status"));
    }

    @Test
    void aSettlementConflictIsCountedOnceHoweverOftenItIsSeen() {
        givenPayment("order-conflict", "card", 10000);
        givenCrashedMidSend("order-conflict", "rf_conflict", 3000, Instant.now().minusSeconds(120));
        // ChaiPort shows 1000 cancelled and no history: neither 0 (not executed) nor 3000 (ours).
        // Two janitor passes (as two replicas would make) look twice each.
        for (int i = 0; i < 4; i++) {
            chaiPort.enqueueFault(
                    Endpoint.GET_PAYMENT,
                    Fault.editAnswer(
                            "cancel_amount 1000, no history",
                            envelope -> {
                                ObjectNode response = (ObjectNode) envelope.get("response");
                                response.put("cancel_amount", 1000);
                                response.remove("cancel_history");
                                return envelope;
                            }));
        }
        double before = management.metric(CONFLICTS);

        try (CapturedLogs sync = CapturedLogs.of("kr.cancelpay.service.OrderSync")) {
            janitor.reconcile().await().atMost(Duration.ofSeconds(10));
            janitor.reconcile().await().atMost(Duration.ofSeconds(10));

            List<CapturedLogs.Line> conflicts = sync.containing("a person must look");
            assertEquals(4, conflicts.size(), sync.lines().toString());
            assertEquals(
                    1,
                    conflicts.stream().filter(line -> line.level().equals(Level.SEVERE)).count(),
                    "one ERROR line, when the conflict is first recorded; WARN after");
        }

        assertEquals(before + 1, management.metric(CONFLICTS));
        Document refund = onlyRefund("order-conflict");
        assertEquals("PENDING", refund.getString("status"), "left for a person");
        assertNotNull(refund.getDate("conflict_at"), "the conflict is recorded on the refund");
        assertEquals(
                "rf_conflict",
                stored("order-conflict")
                        .get("cancelpay_pending", Document.class)
                        .getString("refund_id"),
                "the order stays blocked");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
    }

    @Test
    void theOutcomeLineAndTheLedgerSayWhoAskedAndWithWhichKeyNeverTheToken() {
        givenPayment("order-audit", "card", 10000);
        givenPayment("order-audit-keyless", "card", 10000);

        try (CapturedLogs outcomes = CapturedLogs.of("kr.cancelpay.service.RefundOutcomes")) {
            postCancel(
                            Map.of(
                                    "merchant_uid",
                                    "order-audit",
                                    "cancel_request_amount",
                                    1000,
                                    "reason",
                                    "x"),
                            "audit-key-1")
                    .statusCode(200);
            postCancel(Map.of("merchant_uid", "order-audit-keyless", "reason", "x"))
                    .statusCode(200);

            CapturedLogs.Line keyed =
                    onlyLine(outcomes, "refund outcome refunded for order-audit ");
            assertTrue(
                    keyed.message()
                            .contains(
                                    "requested by merchant-backoffice, Idempotency-Key audit-key-1"),
                    keyed.message());
            assertEquals("merchant-backoffice", keyed.mdc().get("requested_by"));
            assertEquals("audit-key-1", keyed.mdc().get("idempotency_key"));

            CapturedLogs.Line keyless =
                    onlyLine(outcomes, "refund outcome refunded for order-audit-keyless");
            assertTrue(
                    keyless.message()
                            .contains("requested by merchant-backoffice, Idempotency-Key none"),
                    keyless.message());
            assertEquals("none", keyless.mdc().get("idempotency_key"));

            for (CapturedLogs.Line line : outcomes.lines()) {
                // Every JWT starts with the base64 of '{"': no token, whole or in part.
                assertFalse(line.message().contains("eyJ"), line.message());
                assertFalse(line.mdc().values().stream().anyMatch(v -> v.contains("eyJ")));
            }
        }

        Document keyed = onlyRefund("order-audit");
        assertEquals("merchant-backoffice", keyed.getString("requested_by"));
        assertEquals("audit-key-1", keyed.getString("idempotency_key"));
        Document keyless = onlyRefund("order-audit-keyless");
        assertEquals("merchant-backoffice", keyless.getString("requested_by"));
        assertNull(keyless.get("idempotency_key"));
    }

    /**
     * The alert rules cannot drift from the code: every {@code cancelpay_*} series they read is
     * exported (the meters they use are registered at start-up, so none is missing before its first
     * event).
     */
    @Test
    void everyMetricTheAlertRulesReadIsExported() throws IOException {
        String rules = Files.readString(Path.of("deploy/prometheus-rules.yml"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\bcancelpay_[a-z0-9_]+").matcher(rules);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        assertTrue(
                names.containsAll(
                        Set.of(
                                "cancelpay_refunds_open_oldest_age_seconds",
                                "cancelpay_settlement_conflicts_total",
                                "cancelpay_refunds_total",
                                "cancelpay_janitor_failures_total",
                                "cancelpay_janitor_settled_total")),
                "the rules read: " + names);

        String metrics = management.metrics();
        for (String name : names) {
            assertTrue(
                    Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(),
                    name + " is read by deploy/prometheus-rules.yml but not exported");
        }
        for (String outcome : List.of("pg_unavailable", "store_unavailable")) {
            assertTrue(
                    metrics.contains("cancelpay_refunds_total{outcome=\"" + outcome + "\"}"),
                    outcome + " is exported before its first occurrence");
        }
    }

    private static CapturedLogs.Line onlyLine(CapturedLogs logs, String text) {
        List<CapturedLogs.Line> lines = logs.containing(text);
        assertEquals(1, lines.size(), logs.lines().toString());
        return lines.get(0);
    }
}
