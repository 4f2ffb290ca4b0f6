package kr.cancelpay.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.client.PgPayment.PgCancel;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Refund;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.RefundLedger;
import kr.cancelpay.service.RefundDecisions.Attribution;
import kr.cancelpay.service.RefundDecisions.Verdict;
import org.jboss.logging.Logger;

/**
 * Brings the ledger and the merchant's row in line with what ChaiPort shows, for a locked order.
 * The one settlement used by the refund flow (an earlier refund left open, and its own outcome),
 * the webhook and the janitor. Writes go in an order that survives a crash between any two: the
 * refund's transition first, then cancels found at ChaiPort, then the row's figures (which also
 * drops the row's pointer to the refund); whatever is left undone is redone by the next settlement,
 * because each write is idempotent given ChaiPort's answer.
 */
@ApplicationScoped
class OrderSync {

    private static final Logger LOG = Logger.getLogger(OrderSync.class);

    private final PaymentRepository payments;
    private final RefundLedger ledger;
    private final CancelPayMetrics metrics;
    private final Duration inFlightWindow;

    OrderSync(
            PaymentRepository payments,
            RefundLedger ledger,
            CancelPayMetrics metrics,
            CancelPayConfig config) {
        this.payments = payments;
        this.ledger = ledger;
        this.metrics = metrics;
        this.inFlightWindow = config.cancelpay().reconcile().olderThan();
    }

    /**
     * The order after a settlement, and the refund it pointed at (null if none) as it now stands.
     */
    record Settled(Order order, Refund refund) {
        boolean stillOpen() {
            return refund != null && refund.isOpen();
        }
    }

    /**
     * Settles the order's open refund (if any) from ChaiPort's answer {@code pg} (null: ChaiPort
     * could not be asked), records cancels nobody sent through us, and syncs the row's figures.
     */
    Uni<Settled> settle(Order order, PgPayment pg) {
        Uni<Refund> pointed =
                order.pendingRefundId() == null
                        ? Uni.createFrom().nullItem()
                        : ledger.find(order.pendingRefundId());
        return pointed.flatMap(
                refund -> {
                    if (pg == null || pg.cancelAmountWon() == null) {
                        // Nothing can be concluded from an answer without a readable figure:
                        // everything stays as it is.
                        return Uni.createFrom().item(new Settled(order, refund));
                    }
                    Attribution attribution =
                            RefundDecisions.attribute(refund, order.knownCancels(), pg);
                    if (refund == null || !refund.isOpen()) {
                        // No refund of ours open (or a dangling pointer, or one settled just before
                        // a crash).
                        return record(
                                order,
                                refund,
                                refund,
                                attribution,
                                pg,
                                order.pendingRefundId() != null);
                    }
                    Verdict verdict =
                            RefundDecisions.judge(
                                    refund, attribution, pg, Instant.now(), inFlightWindow);
                    Instant now = Instant.now();
                    return switch (verdict) {
                        case EXECUTED -> {
                            LOG.infof(
                                    "refund %s of %s settled as executed",
                                    refund.id(), order.merchantUid());
                            yield record(
                                    order,
                                    refund,
                                    refund.succeeded(cancellation(attribution.ours(), pg), now),
                                    attribution,
                                    pg,
                                    true);
                        }
                        case NOT_EXECUTED -> {
                            LOG.infof(
                                    "refund %s of %s settled as not executed",
                                    refund.id(), order.merchantUid());
                            yield record(
                                    order,
                                    refund,
                                    refund.failed(RefundDecisions.failureWhenNotExecuted(), now),
                                    attribution,
                                    pg,
                                    true);
                        }
                        case CONFLICT -> conflict(order, refund, pg, now);
                        default -> record(order, refund, refund, attribution, pg, false);
                    };
                });
    }

    /**
     * ChaiPort's figures contradict the open refund: nothing is written but the conflict's mark in
     * the ledger, and it is counted and logged at ERROR once per refund (by whichever writer, of
     * every replica and janitor pass, recorded it first); seen again, it is a WARN line.
     */
    private Uni<Settled> conflict(Order order, Refund refund, PgPayment pg, Instant now) {
        Long before = refund.cancelAmountBefore();
        String what =
                String.format(
                        "refund %s of %s: ChaiPort cancel_amount %s is neither %s (not executed) nor %s (executed), or "
                                + "its history does not account for it; a person must look (docs/runbook.md, "
                                + "'Settlement conflict')",
                        refund.id(),
                        order.merchantUid(),
                        pg.cancelAmount(),
                        before,
                        before == null ? "?" : before + refund.amount());
        return ledger.markConflict(refund, now)
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            // Not marked: the next settlement marks and counts it.
                            LOG.warnf(
                                    "refund %s: settlement conflict not recorded (%s)",
                                    refund.id(), failure.getMessage());
                            return false;
                        })
                .map(
                        first -> {
                            if (first) {
                                metrics.settlementConflict();
                                LOG.error(what);
                            } else {
                                LOG.warn("still in conflict: " + what);
                            }
                            return new Settled(order, refund);
                        });
    }

    /**
     * Records a refund of ours that ChaiPort just executed ({@code pg}: its answer to the cancel,
     * or to a look afterwards). Answers the refund as recorded.
     */
    Uni<Refund> recordExecuted(Order order, Refund refund, PgPayment pg) {
        Attribution attribution = RefundDecisions.attribute(refund, order.knownCancels(), pg);
        Refund succeeded = refund.succeeded(cancellation(attribution.ours(), pg), Instant.now());
        return record(order, refund, succeeded, attribution, pg, true).map(Settled::refund);
    }

    /**
     * A refund recorded but never sent (its request stopped before pointing the order at it): it
     * cannot have executed, so it fails for good. The caller must hold the order's lock.
     */
    Uni<Refund> abandon(Refund refund) {
        LOG.infof(
                "refund %s of %s was recorded but never sent; settled as not executed",
                refund.id(), refund.merchantUid());
        return moveRefund(
                refund,
                refund.failed(
                        new Refund.Failure(RefundProblem.NOT_SENT, null, null), Instant.now()));
    }

    /** Records a refund of ours as not executed, and drops the row's pointer to it. */
    Uni<Refund> recordFailed(Order order, Refund refund, Refund.Failure failure) {
        Refund failed = refund.failed(failure, Instant.now());
        return moveRefund(refund, failed)
                .call(
                        recorded ->
                                recorded.isOpen()
                                        ? Uni.createFrom().voidItem()
                                        : payments.clearPending(order.merchantUid()));
    }

    /**
     * The transition, then ChaiPort's cancels that are not ours as ledger entries of their own,
     * then the row's figures. {@code before == after} records no transition.
     */
    private Uni<Settled> record(
            Order order,
            Refund before,
            Refund after,
            Attribution attribution,
            PgPayment pg,
            boolean clearPointer) {
        Uni<Refund> moved =
                before == null || before == after
                        ? Uni.createFrom().item(after)
                        : moveRefund(before, after);
        Long readableFigure = pg.cancelAmountWon();
        return moved.flatMap(
                refund ->
                        recordForeign(order, attribution.foreign())
                                .flatMap(
                                        ignored -> {
                                            if (readableFigure == null) {
                                                // Callers pass answers with a figure; without one
                                                // the row is left as it is.
                                                return Uni.createFrom()
                                                        .item(new Settled(order, refund));
                                            }
                                            List<CancelHistoryEntry> fresh =
                                                    newHistoryEntries(attribution);
                                            long figure = readableFigure;
                                            // Another writer may have left it open (a resend): then
                                            // the pointer stays.
                                            boolean clear =
                                                    clearPointer
                                                            && (refund == null || !refund.isOpen());
                                            return payments.syncFigures(
                                                            order.merchantUid(),
                                                            figure,
                                                            pg.status(),
                                                            fresh,
                                                            clear)
                                                    .map(
                                                            ignoredToo ->
                                                                    new Settled(
                                                                            order.synced(
                                                                                    figure, fresh,
                                                                                    clear),
                                                                            refund));
                                        }));
    }

    /** One conditional write; if someone else moved the refund first, theirs is the truth. */
    private Uni<Refund> moveRefund(Refund before, Refund after) {
        return ledger.transition(before, after)
                .flatMap(
                        moved -> {
                            if (moved) {
                                return Uni.createFrom().item(after);
                            }
                            LOG.infof(
                                    "refund %s was moved by another writer; taking its state",
                                    before.id());
                            return ledger.find(before.id());
                        });
    }

    private Uni<Void> recordForeign(Order order, List<PgCancel> foreign) {
        List<PgCancel> recordable = foreign.stream().filter(OrderSync::recordable).toList();
        if (recordable.size() < foreign.size()) {
            LOG.warnf(
                    "order %s: %d cancel(s) at ChaiPort without a whole amount or an id cannot be recorded yet; "
                            + "the next sync with a complete answer records them",
                    order.merchantUid(), foreign.size() - recordable.size());
        }
        if (recordable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        // A refund of ours recorded SUCCEEDED from answers that never showed its entry is
        // unidentified: the first cancel of its amount found now is that refund's, not someone
        // else's (else the ledger would count the same money twice). Rare (sparse answers only),
        // so the order's refunds are read.
        return ledger.findByMerchantUid(order.merchantUid(), PaymentSyncService.REFUNDS_SHOWN)
                .flatMap(
                        refunds -> {
                            List<Refund> unidentified =
                                    new ArrayList<>(
                                            refunds.stream()
                                                    .filter(Refund::isUnidentifiedSuccess)
                                                    .sorted(Comparator.comparing(Refund::createdAt))
                                                    .toList());
                            return Multi.createFrom()
                                    .iterable(recordable)
                                    .onItem()
                                    .transformToUniAndConcatenate(
                                            cancel ->
                                                    recordCancel(order, cancel, unidentified, now))
                                    .collect()
                                    .asList()
                                    .replaceWithVoid();
                        });
    }

    /**
     * One cancel ChaiPort shows that the ledger lacks: the unidentified refund of ours of its
     * amount (taken off {@code unidentified}), else a refund nobody sent through this service.
     */
    private Uni<Void> recordCancel(
            Order order, PgCancel cancel, List<Refund> unidentified, Instant now) {
        Refund ours =
                unidentified.stream()
                        .filter(refund -> refund.amount() == cancel.amountWon())
                        .findFirst()
                        .orElse(null);
        if (ours != null) {
            unidentified.remove(ours);
            LOG.infof(
                    "order %s: cancel %s identified as refund %s",
                    order.merchantUid(), RefundDecisions.key(cancel), ours.id());
            return moveRefund(ours, ours.identified(cancellation(cancel, null), now))
                    .replaceWithVoid();
        }
        LOG.infof(
                "order %s: cancel %s of %s won found at ChaiPort that nobody sent through this service",
                order.merchantUid(), RefundDecisions.key(cancel), cancel.amount());
        Refund found =
                Refund.foundAtChaiPort(
                        order.merchantUid(),
                        order.impUid(),
                        cancel.amountWon(),
                        cancel.reason(),
                        cancellation(cancel, null),
                        now);
        // Recorded by an earlier settlement already (duplicate webhooks, a crash): that is fine.
        return ledger.insert(found).replaceWithVoid();
    }

    /**
     * A cancel of someone else's can enter the ledger only with its amount (a ledger entry of 0 won
     * would be wrong money) and an id (its ledger id and the row's record of it). One that lacks
     * either stays out of the ledger and of the row, so the next answer that has them records it.
     */
    private static boolean recordable(PgCancel cancel) {
        return cancel.amountWon() != null && RefundDecisions.key(cancel) != null;
    }

    static Refund.Cancellation cancellation(PgCancel cancel, PgPayment pg) {
        Long figure = pg == null ? null : pg.cancelAmountWon();
        String status = pg == null ? null : pg.status();
        if (cancel == null) {
            // An answer without history: what its top level says.
            return new Refund.Cancellation(
                    null,
                    null,
                    pg == null ? null : pg.receiptUrl(),
                    epochSeconds(pg == null ? null : pg.cancelledAt()),
                    figure,
                    status);
        }
        return new Refund.Cancellation(
                cancel.cancellationId(),
                cancel.pgTid(),
                cancel.receiptUrl(),
                epochSeconds(cancel.cancelledAt()),
                figure,
                status);
    }

    /**
     * ChaiPort's new cancels as the row keeps them: ours (now recorded in the ledger, so the row
     * must know it, whatever the entry lacks) and the others that could be recorded.
     */
    private static List<CancelHistoryEntry> newHistoryEntries(Attribution attribution) {
        return attribution.fresh().stream()
                .filter(cancel -> cancel == attribution.ours() || recordable(cancel))
                .map(
                        cancel -> {
                            CancelHistoryEntry entry = new CancelHistoryEntry();
                            entry.pgTid = cancel.pgTid();
                            entry.amount = cancel.amountWon();
                            entry.cancelledAt = cancel.cancelledAt();
                            entry.reason = cancel.reason();
                            entry.cancellationId = cancel.cancellationId();
                            entry.receiptUrl = cancel.receiptUrl();
                            return entry;
                        })
                .toList();
    }

    private static Instant epochSeconds(Long unixSeconds) {
        return unixSeconds == null || unixSeconds == 0 ? null : Instant.ofEpochSecond(unixSeconds);
    }
}
