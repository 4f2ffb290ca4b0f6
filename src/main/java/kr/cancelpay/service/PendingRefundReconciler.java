package kr.cancelpay.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.Refund;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.repository.IdempotencyKeys;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.RefundLedger;
import org.jboss.logging.Logger;

/**
 * The janitor (after Kill Bill's): a refund left open — its answer lost and ChaiPort unable to tell
 * at the time, the instance crashed, or MongoDB down just after the money moved — is settled here
 * by asking ChaiPort, never by sending, without waiting for another request or a webhook. It also
 * purges idempotency keys past their retention. Safe on every replica at once: each order is
 * settled under its lock, and an order being worked on is skipped.
 *
 * <p>Each run is counted ({@code cancelpay_janitor_runs_total{result}}), with what it settled and
 * what failed ({@code cancelpay_janitor_settled_total}, {@code cancelpay_janitor_failures_total});
 * a failure is logged at WARN with its cause, an order another request holds at INFO.
 */
@ApplicationScoped
public class PendingRefundReconciler {

    private static final Logger LOG = Logger.getLogger(PendingRefundReconciler.class);

    private final RefundLedger ledger;
    private final PaymentRepository payments;
    private final IdempotencyKeys keys;
    private final PaymentSyncService sync;
    private final CancelPayMetrics metrics;
    private final CancelPayConfig.Reconcile settings;

    /** Paging of the two queries across runs (per replica; runs never overlap: SKIP). */
    private Instant pointedCursor = Instant.EPOCH;

    private Instant openCursor = Instant.EPOCH;

    PendingRefundReconciler(
            RefundLedger ledger,
            PaymentRepository payments,
            IdempotencyKeys keys,
            PaymentSyncService sync,
            CancelPayMetrics metrics,
            CancelPayConfig config) {
        this.ledger = ledger;
        this.payments = payments;
        this.keys = keys;
        this.sync = sync;
        this.metrics = metrics;
        this.settings = config.cancelpay().reconcile();
    }

    @Scheduled(
            identity = "pending-refund-reconciler",
            every = "${cancelpay.reconcile.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reconcile().call(() -> purgeExpiredKeys()).replaceWithVoid();
    }

    /**
     * Settles what it can; answers how many refunds and orders it looked at: orders whose row still
     * points at a refund, and refunds the ledger shows still open (some never pointed at: their
     * request stopped before sending them). Both only once older than the in-flight window.
     */
    public Uni<Integer> reconcile() {
        Instant before = Instant.now().minus(settings.olderThan());
        return payments.findOrdersPointingSince(pointedCursor, before, settings.batchSize())
                .flatMap(
                        orders -> {
                            pointedCursor =
                                    next(
                                            orders.size(),
                                            orders.isEmpty()
                                                    ? null
                                                    : orders.get(orders.size() - 1).since());
                            return each(
                                    orders,
                                    order -> sync.settlePointedRefund(order.merchantUid()),
                                    "order");
                        })
                .flatMap(
                        orders ->
                                ledger.findOpenSince(openCursor, before, settings.batchSize())
                                        .flatMap(
                                                open -> {
                                                    openCursor =
                                                            next(
                                                                    open.size(),
                                                                    open.isEmpty()
                                                                            ? null
                                                                            : open.get(
                                                                                            open
                                                                                                            .size()
                                                                                                    - 1)
                                                                                    .updatedAt());
                                                    return each(
                                                            open,
                                                            refund -> sync.settleOpenRefund(refund),
                                                            "refund");
                                                })
                                        .map(refunds -> orders + refunds))
                .invoke(ignored -> metrics.janitorRun(true))
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            metrics.janitorRun(false);
                            LOG.warnf(
                                    "open-refund reconciliation skipped: %s", failure.getMessage());
                            return 0;
                        });
    }

    /**
     * Where the next run starts: after this page when it was full (so items no run can settle, a
     * conflict for a person, never keep newer ones waiting), from the beginning once a page was
     * not.
     */
    private Instant next(int found, Instant last) {
        return found < settings.batchSize() || last == null ? Instant.EPOCH : last;
    }

    private <T> Uni<Integer> each(List<T> items, Function<T, Uni<Boolean>> settle, String what) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom()
                .iterable(items)
                .onItem()
                .transformToUniAndConcatenate(
                        item ->
                                settle.apply(item)
                                        .invoke(
                                                settled -> {
                                                    if (settled) {
                                                        metrics.janitorSettled();
                                                    }
                                                })
                                        .onFailure()
                                        .recoverWithItem(
                                                failure -> {
                                                    notSettled(what, item, failure);
                                                    return false;
                                                }))
                .collect()
                .asList()
                .map(ignored -> items.size());
    }

    /**
     * An order another request holds is not a failure (that request settles it); anything else is:
     * counted, and logged at WARN with its cause.
     */
    private void notSettled(String what, Object item, Throwable failure) {
        String name =
                item instanceof Refund refund
                        ? refund.id() + " of " + refund.merchantUid()
                        : item instanceof PaymentRepository.PointedOrder order
                                ? order.merchantUid()
                                : item.toString();
        if (failure instanceof RefundProblem problem && problem.inProgress() != null) {
            LOG.infof("%s %s not settled this time: %s", what, name, failure.getMessage());
            return;
        }
        metrics.janitorFailed();
        LOG.warnf(
                "%s %s not settled this time (%s): %s",
                what, name, failure.getClass().getSimpleName(), failure.getMessage());
    }

    /**
     * Idempotency keys past their retention (a real MongoDB's TTL index does it too; the embedded
     * one does not).
     */
    public Uni<Long> purgeExpiredKeys() {
        return keys.purgeExpired(Instant.now())
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            LOG.warnf("idempotency-key purge skipped: %s", failure.getMessage());
                            return 0L;
                        });
    }
}
