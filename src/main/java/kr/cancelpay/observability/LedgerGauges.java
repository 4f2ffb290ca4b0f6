package kr.cancelpay.observability;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import kr.cancelpay.repository.RefundLedger;
import kr.cancelpay.repository.RefundLedger.OpenRefunds;
import org.jboss.logging.Logger;

/**
 * Counts the ledger's open refunds for the gauges {@code cancelpay_refunds_open} and {@code
 * cancelpay_refunds_open_oldest_age_seconds}, every {@code cancelpay.metrics.ledger-every} (30 s;
 * {@code off} disables it), never on a scrape or a request. The age is computed at each scrape from
 * the oldest refund's {@code created_at}, so it keeps growing between counts, and a count that
 * fails (MongoDB down) leaves the last one standing.
 */
@ApplicationScoped
public class LedgerGauges {

    private static final Logger LOG = Logger.getLogger(LedgerGauges.class);

    private final RefundLedger ledger;
    private final CancelPayMetrics metrics;

    LedgerGauges(RefundLedger ledger, CancelPayMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    @Scheduled(
            identity = "ledger-gauges",
            every = "${cancelpay.metrics.ledger-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh().replaceWithVoid();
    }

    /** Counts now; answers what the gauges show from now on. */
    public Uni<OpenRefunds> refresh() {
        return ledger.openRefunds()
                .invoke(metrics::openRefunds)
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            LOG.warnf(
                                    "open refunds not counted, the gauges keep the last count: %s",
                                    failure.getMessage());
                            return null;
                        });
    }
}
