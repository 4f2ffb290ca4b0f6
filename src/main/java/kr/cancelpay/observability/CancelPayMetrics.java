package kr.cancelpay.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import kr.cancelpay.repository.RefundLedger.OpenRefunds;

/**
 * The service's own meters, at {@code /q/metrics} (Prometheus) on the management port. Retries and
 * breaker states come from SmallRye Fault Tolerance's metrics ({@code ft_*}), which Micrometer
 * publishes alongside.
 *
 * <p>Every meter the alert rules ({@code deploy/prometheus-rules.yml}) read is registered at
 * start-up, at 0: a counter that first appears with its first increment hides that increment from
 * {@code increase()}, and {@code OperationsMetricsTest} checks every name the rules use is here.
 * Hence {@code @Startup}: an application-scoped bean is otherwise created at its first use, and its
 * meters would be missing until then.
 */
@Startup
@ApplicationScoped
public class CancelPayMetrics {

    /** ChaiPort lookups by the settlement of an open refund: the janitor, a replayed key. */
    public static final String LOOKUP_SETTLE = "settle";

    /** ChaiPort lookups by the webhook's sync. */
    public static final String LOOKUP_WEBHOOK = "webhook";

    /** Why a refund request was answered 409 REFUND_IN_PROGRESS. */
    public enum InProgress {
        /** Another request (or a sync) holds the order's lock. */
        LOCKED,
        /** An earlier refund of the order has an outcome nobody knows yet. */
        UNSETTLED
    }

    private final MeterRegistry registry;
    private final Counter refundedWon;
    private final Counter tokenFetches;
    private final Counter tokenRefreshes;
    private final Counter janitorSettled;
    private final Counter janitorFailures;

    /** Counters by name and tags, made once: not built and looked up in the registry per event. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> chaiPortTimers = new ConcurrentHashMap<>();

    /** The ledger's open refunds as last counted ({@link #openRefunds}); none until then. */
    private volatile OpenRefunds open = OpenRefunds.NONE;

    CancelPayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refundedWon =
                Counter.builder("cancelpay.refunded.amount")
                        .baseUnit("won")
                        .description("Money refunded through ChaiPort")
                        .register(registry);
        this.tokenFetches =
                Counter.builder("cancelpay.chaiport.token.fetches")
                        .description("getToken calls made (cache misses)")
                        .register(registry);
        this.tokenRefreshes =
                Counter.builder("cancelpay.chaiport.token.refreshes")
                        .description(
                                "Tokens dropped after ChaiPort answered 401, and the call repeated")
                        .register(registry);
        // The outcomes the alerts watch, at 0 from the start.
        for (String outcome : new String[] {"pg_unavailable", "store_unavailable"}) {
            refundCounter(outcome);
        }
        for (InProgress reason : InProgress.values()) {
            inProgressCounter(reason);
        }
        settlementConflicts();
        for (String path : new String[] {LOOKUP_SETTLE, LOOKUP_WEBHOOK}) {
            lookupFailures(path);
        }
        janitorRuns(true);
        janitorRuns(false);
        this.janitorSettled =
                Counter.builder("cancelpay.janitor.settled")
                        .description(
                                "Open refunds the janitor settled (or orders it freed), by asking ChaiPort")
                        .register(registry);
        this.janitorFailures =
                Counter.builder("cancelpay.janitor.failures")
                        .description(
                                "Orders or refunds the janitor could not settle because of an error"
                                        + " (ChaiPort not reachable, MongoDB, an unreadable row)")
                        .register(registry);
        for (String status : new String[] {"PENDING", "UNKNOWN"}) {
            Gauge.builder("cancelpay.refunds.open", this, metrics -> metrics.open.count(status))
                    .tag("status", status.toLowerCase(Locale.ROOT))
                    .description(
                            "Refunds the ledger holds open (outcome not known yet), as last counted")
                    .register(registry);
        }
        Gauge.builder("cancelpay.refunds.open.oldest.age", this, CancelPayMetrics::oldestOpenAge)
                .baseUnit("seconds")
                .description(
                        "Age of the oldest open refund (from its created_at), 0 when none is open")
                .register(registry);
    }

    /**
     * One per refund request, by outcome (refunded, pending, the problem code in lower case, ...).
     */
    public void refundOutcome(String outcome, long refundedAmount) {
        refundCounter(outcome).increment();
        if (refundedAmount > 0) {
            refundedWon.increment(refundedAmount);
        }
    }

    private Counter refundCounter(String outcome) {
        return once(
                "refunds " + outcome,
                () ->
                        Counter.builder("cancelpay.refunds")
                                .tag("outcome", outcome)
                                .description("Refund requests by outcome")
                                .register(registry));
    }

    /**
     * The counter of {@code key}, made by {@code make} the first time: a builder and the registry's
     * lookup on every event showed in the benchmark's profile (bench/README.md).
     */
    private Counter once(String key, Supplier<Counter> make) {
        return counters.computeIfAbsent(key, unused -> make.get());
    }

    private Timer chaiPortTimer(String endpoint, String result) {
        return chaiPortTimers.computeIfAbsent(
                endpoint + ' ' + result,
                known ->
                        Timer.builder("cancelpay.chaiport.requests")
                                .description("Latency of ChaiPort API calls")
                                .tag("endpoint", endpoint)
                                .tag("result", result)
                                .publishPercentiles(0.5, 0.95, 0.99)
                                .register(registry));
    }

    /** One per 409 REFUND_IN_PROGRESS answer, by why the order could not take the refund. */
    public void refundInProgress(InProgress reason) {
        inProgressCounter(reason).increment();
    }

    private Counter inProgressCounter(InProgress reason) {
        return once(
                "in-progress " + reason,
                () ->
                        Counter.builder("cancelpay.refund.in.progress")
                                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                                .description(
                                        "409 REFUND_IN_PROGRESS answers: locked (another request"
                                                + " holds the order) or unsettled (an earlier"
                                                + " refund's outcome is not known yet)")
                                .register(registry));
    }

    /**
     * A refund whose settlement ChaiPort's figures contradict, counted once per refund: by the
     * writer that first recorded the conflict in the ledger (or the request that saw ChaiPort
     * execute a refund the ledger holds otherwise). The order stays blocked until a person looks
     * (alert on any increase).
     */
    public void settlementConflict() {
        settlementConflicts().increment();
    }

    private Counter settlementConflicts() {
        return once(
                "settlement-conflicts",
                () ->
                        Counter.builder("cancelpay.settlement.conflicts")
                                .description(
                                        "Refunds ChaiPort's figures cannot settle, once each; need"
                                                + " a person")
                                .register(registry));
    }

    /**
     * ChaiPort could not be asked about a payment (timeout, 5xx, open breaker, ...) by {@code path}
     * ({@link #LOOKUP_SETTLE}, {@link #LOOKUP_WEBHOOK}). Not counted: "not found" (ChaiPort
     * answered) and the webhook's own rate limit.
     */
    public void chaiPortLookupFailed(String path) {
        lookupFailures(path).increment();
    }

    private Counter lookupFailures(String path) {
        return once(
                "lookup-failures " + path,
                () ->
                        Counter.builder("cancelpay.chaiport.lookup.failures")
                                .tag("path", path)
                                .description(
                                        "ChaiPort payment lookups that got no answer, by who asked")
                                .register(registry));
    }

    /** One janitor run: {@code completed}, or failed before it could list its work (MongoDB). */
    public void janitorRun(boolean completed) {
        janitorRuns(completed).increment();
    }

    private Counter janitorRuns(boolean completed) {
        return once(
                "janitor-runs " + completed,
                () ->
                        Counter.builder("cancelpay.janitor.runs")
                                .tag("result", completed ? "completed" : "failed")
                                .description("Janitor runs (PendingRefundReconciler)")
                                .register(registry));
    }

    public void janitorSettled() {
        janitorSettled.increment();
    }

    public void janitorFailed() {
        janitorFailures.increment();
    }

    /** The ledger's open refunds as just counted; the gauges show them until the next count. */
    public void openRefunds(OpenRefunds counted) {
        this.open = counted;
    }

    private double oldestOpenAge() {
        Instant oldest = open.oldestCreatedAt();
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * MongoDB refused one of our writes for good (a validator, a field of the wrong type): the
     * document needs a person (alert on any increase), by write name ({@code payments.syncFigures},
     * ...).
     */
    public void storeWriteRejected(String write) {
        Counter.builder("cancelpay.store.write.rejected")
                .tag("write", write)
                .description("Writes MongoDB refused for good; the document needs a person")
                .register(registry)
                .increment();
    }

    public void tokenFetched() {
        tokenFetches.increment();
    }

    public void tokenRefreshed() {
        tokenRefreshes.increment();
    }

    /**
     * Times one ChaiPort call (one attempt: retries are timed one by one), by endpoint and result.
     */
    public <T> Uni<T> timeChaiPortCall(String endpoint, Supplier<Uni<T>> call) {
        return Uni.createFrom()
                .deferred(
                        () -> {
                            Timer.Sample sample = Timer.start(registry);
                            // A timeout cancels the call: that is a result too ("cancelled"), and
                            // usually the slowest.
                            return call.get()
                                    .onTermination()
                                    .invoke(
                                            (item, failure, cancelled) ->
                                                    sample.stop(
                                                            chaiPortTimer(
                                                                    endpoint,
                                                                    cancelled
                                                                            ? "cancelled"
                                                                            : failure == null
                                                                                    ? "success"
                                                                                    : failure.getClass()
                                                                                            .getSimpleName())));
                        });
    }
}
