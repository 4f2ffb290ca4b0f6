package kr.cancelpay.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.BSONException;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.client.ChaiPortGateway;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.repository.PaymentRepository;

/**
 * What the refund flow and the sync share: taking an order's lock, and deciding from ChaiPort's
 * answer whether a pending refund was executed. ChaiPort's cumulative {@code cancel_amount} is the
 * truth; it moved by exactly the refund's amount, or not at all.
 */
@ApplicationScoped
class OrderSettlement {

    private static final Logger LOG = Logger.getLogger(OrderSettlement.class);

    private final PaymentRepository payments;
    private final ChaiPortGateway chaiPort;
    private final CancelPayMetrics metrics;
    private final Duration lockLease;
    private final CancelPayConfig.Reconcile reconcile;
    private final int retryAfterSeconds;

    OrderSettlement(PaymentRepository payments, ChaiPortGateway chaiPort, CancelPayMetrics metrics, CancelPayConfig config) {
        this.payments = payments;
        this.chaiPort = chaiPort;
        this.metrics = metrics;
        this.lockLease = config.cancelpay().lockLease();
        this.reconcile = config.cancelpay().reconcile();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    enum Settlement {
        EXECUTED, NOT_EXECUTED, CANNOT_TELL
    }

    /** Locks the order for {@code owner}: the locked row, or 404 / 409 REFUND_IN_PROGRESS. */
    Uni<Payment> lock(String merchantUid, String owner) {
        Instant now = Instant.now();
        return payments.lock(merchantUid, owner, now, now.plus(lockLease))
                // The lock is written before the row is decoded: release it if the row cannot be read.
                .onFailure(OrderSettlement::unreadableRow).recoverWithUni(failure -> payments.unlock(merchantUid, owner)
                        .map(ignored -> {
                            LOG.errorf("payment %s cannot be decoded: %s", merchantUid, failure.getMessage());
                            throw unreadable(merchantUid);
                        }))
                .flatMap(locked -> locked != null ? Uni.createFrom().item(locked) : explainLockRefusal(merchantUid));
    }

    private Uni<Payment> explainLockRefusal(String merchantUid) {
        return payments.findDocumentByMerchantUid(merchantUid).map(row -> {
            if (row == null) {
                throw RefundProblem.paymentNotFound(merchantUid);
            }
            throw RefundProblem.refundInProgress(
                    "다른 환불 요청이 처리 중입니다. Another refund of this order is being processed.", retryAfterSeconds);
        });
    }

    static RefundProblem unreadable(String merchantUid) {
        return RefundProblem.paymentRecordInvalid(merchantUid, "a field has an unexpected type or a fractional amount");
    }

    /** The driver could not map the stored row onto {@link Payment} (a text amount, 1000.5 won, ...). */
    static boolean unreadableRow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CodecConfigurationException || t instanceof BSONException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A pending refund younger than {@code cancelpay.reconcile.older-than} may still be executing
     * at ChaiPort: "not executed" is not believed yet.
     */
    boolean stillInFlight(PendingRefund pending) {
        return pending.requestedAt != null
                && pending.requestedAt.toInstant().isAfter(Instant.now().minus(reconcile.olderThan()));
    }

    RefundProblem pendingUnsettled(PendingRefund earlier) {
        return RefundProblem.refundInProgress("An earlier refund of this order (" + earlier.refundId
                + ") has an unknown outcome that ChaiPort cannot confirm yet; it is settled before anything else.",
                retryAfterSeconds);
    }

    /** ChaiPort's view of the payment, or null when it cannot be asked now. */
    Uni<PgPayment> askChaiPort(String impUid, RefundContext context) {
        Supplier<Uni<PgPayment>> lookup = () -> chaiPort.findPayment(impUid);
        return (context == null ? lookup.get() : timed(context, lookup)).onFailure().recoverWithNull();
    }

    static <T> Uni<T> timed(RefundContext context, Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return call.get().onTermination().invoke(() -> context.addChaiPortTime(System.nanoTime() - start));
        });
    }

    /** ChaiPort's cumulative figure is the truth: it moved by exactly our amount, or not at all. */
    Settlement settle(PgPayment pg, long cancelAmountBefore, long amount) {
        if (pg == null || pg.cancelAmount() == null) {
            return Settlement.CANNOT_TELL;
        }
        long now = wholeWon(pg.cancelAmount());
        if (now == cancelAmountBefore + amount) {
            return Settlement.EXECUTED;
        }
        if (now == cancelAmountBefore) {
            return Settlement.NOT_EXECUTED;
        }
        // It moved by something else (a cancel through another channel meanwhile): a person must look.
        metrics.settlementConflict();
        LOG.errorf("ChaiPort cancel_amount %d of imp_uid %s matches neither %d (not executed) nor %d (executed)",
                now, pg.impUid(), cancelAmountBefore, cancelAmountBefore + amount);
        return Settlement.CANNOT_TELL;
    }

    /** ChaiPort's history entries the stored document does not have yet. */
    static List<CancelHistoryEntry> newHistoryEntries(Payment payment, PgPayment pg) {
        Set<String> known = new HashSet<>();
        for (CancelHistoryEntry entry : payment.history()) {
            known.add(entry.cancellationId != null ? entry.cancellationId : entry.pgTid);
        }
        return pg.history().stream()
                .filter(cancel -> !known.contains(cancel.cancellationId() != null ? cancel.cancellationId() : cancel.pgTid()))
                .map(cancel -> {
                    CancelHistoryEntry entry = new CancelHistoryEntry();
                    entry.pgTid = cancel.pgTid();
                    entry.amount = cancel.amount() == null ? null : wholeWon(cancel.amount());
                    entry.cancelledAt = cancel.cancelledAt();
                    entry.reason = cancel.reason();
                    entry.cancellationId = cancel.cancellationId();
                    entry.receiptUrl = cancel.receiptUrl();
                    return entry;
                }).toList();
    }

    static long wholeWon(BigDecimal amount) {
        return amount.longValueExact();
    }

    static String isoSeconds(Long unixSeconds) {
        return unixSeconds == null || unixSeconds == 0 ? null : Instant.ofEpochSecond(unixSeconds).toString();
    }
}
