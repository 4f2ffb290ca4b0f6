package kr.cancelpay.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The service's own meters, at {@code /q/metrics} (Prometheus) on the management port. Retries and
 * breaker states come from SmallRye Fault Tolerance's metrics ({@code ft_*}), which Micrometer
 * publishes alongside.
 */
@ApplicationScoped
public class CancelPayMetrics {

    private final MeterRegistry registry;
    private final Counter refundedWon;
    private final Counter tokenFetches;
    private final Counter tokenRefreshes;

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
    }

    /**
     * One per refund request, by outcome (refunded, pending, the problem code in lower case, ...).
     */
    public void refundOutcome(String outcome, long refundedAmount) {
        Counter.builder("cancelpay.refunds")
                .tag("outcome", outcome)
                .description("Refund requests by outcome")
                .register(registry)
                .increment();
        if (refundedAmount > 0) {
            refundedWon.increment(refundedAmount);
        }
    }

    /**
     * ChaiPort's cancel_amount moved by neither 0 nor our amount while a refund was pending: the
     * order stays blocked until a person looks (alert on any increase).
     */
    public void settlementConflict() {
        Counter.builder("cancelpay.settlement.conflicts")
                .description("Pending refunds ChaiPort's figures cannot settle; need a person")
                .register(registry)
                .increment();
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
                                                            Timer.builder(
                                                                            "cancelpay.chaiport.requests")
                                                                    .description(
                                                                            "Latency of ChaiPort API calls")
                                                                    .tag("endpoint", endpoint)
                                                                    .tag(
                                                                            "result",
                                                                            cancelled
                                                                                    ? "cancelled"
                                                                                    : failure
                                                                                                    == null
                                                                                            ? "success"
                                                                                            : failure.getClass()
                                                                                                    .getSimpleName())
                                                                    .publishPercentiles(
                                                                            0.5, 0.95, 0.99)
                                                                    .register(registry)));
                        });
    }
}
