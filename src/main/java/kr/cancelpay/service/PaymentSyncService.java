package kr.cancelpay.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.service.OrderSettlement.Settlement;

/**
 * Keeps a stored payment in line with ChaiPort, and shows it: the webhook and the janitor sync an
 * order from what ChaiPort answers when asked (settling a pending refund on the way), and
 * {@code GET /payments/{merchant_uid}} reads it.
 */
@ApplicationScoped
public class PaymentSyncService {

    private static final Logger LOG = Logger.getLogger(PaymentSyncService.class);

    private final PaymentRepository payments;
    private final OrderSettlement orders;
    private final int retryAfterSeconds;

    PaymentSyncService(PaymentRepository payments, OrderSettlement orders, CancelPayConfig config) {
        this.payments = payments;
        this.orders = orders;
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    /**
     * ChaiPort's webhook said something happened to a payment: sync the stored row from what
     * ChaiPort answers to {@code GET /payments/{imp_uid}} (never from the webhook's body), settling a
     * pending refund on the way. Catches refunds made elsewhere (ChaiPort's console) too.
     */
    public Uni<PaymentView> syncFromChaiPort(String merchantUid) {
        // Fast path without the lock: duplicate or stale notifications (and a flood of forged ones)
        // must not keep real refunds of the order waiting.
        return payments.findByMerchantUid(merchantUid)
                .onFailure(OrderSettlement::unreadableRow).transform(failure -> OrderSettlement.unreadable(merchantUid))
                .flatMap(stored -> {
                    if (stored == null) {
                        throw RefundProblem.paymentNotFound(merchantUid);
                    }
                    if (stored.impUid == null) {
                        throw RefundProblem.paymentRecordInvalid(merchantUid, "imp_uid is missing");
                    }
                    if (stored.pending != null) {
                        return syncLocked(merchantUid);
                    }
                    return orders.askChaiPort(stored.impUid, null)
                            .flatMap(pg -> inLineWith(stored, pg) ? view(merchantUid) : syncLocked(merchantUid));
                });
    }

    /** Nothing to sync: ChaiPort's figure and history are what the row already holds. */
    private static boolean inLineWith(Payment stored, PgPayment pg) {
        return pg != null && pg.cancelAmount() != null
                && OrderSettlement.wholeWon(pg.cancelAmount()) == stored.refundedSoFar()
                && OrderSettlement.newHistoryEntries(stored, pg).isEmpty();
    }

    private Uni<PaymentView> syncLocked(String merchantUid) {
        String syncId = "sync-" + UUID.randomUUID();
        return orders.lock(merchantUid, syncId).flatMap(payment -> orders.askChaiPort(payment.impUid, null).flatMap(pg -> {
            if (pg == null || pg.cancelAmount() == null) {
                return payments.unlock(merchantUid, syncId).map(ignored -> {
                    throw RefundProblem.pgUnavailable(retryAfterSeconds);
                });
            }
            PendingRefund pending = payment.pending;
            if (pending != null) {
                Settlement settlement = orders.settle(pg, pending.cancelAmountBefore, pending.amount);
                if (settlement == Settlement.NOT_EXECUTED && orders.stillInFlight(pending)) {
                    settlement = Settlement.CANNOT_TELL;
                }
                if (settlement == Settlement.CANNOT_TELL) {
                    return payments.unlock(merchantUid, syncId).map(ignored -> {
                        throw orders.pendingUnsettled(pending);
                    });
                }
                if (settlement == Settlement.NOT_EXECUTED) {
                    LOG.infof("sync of %s: pending refund %s settled as not executed", merchantUid, pending.refundId);
                    return payments.clearPending(merchantUid, syncId, true).flatMap(ignored -> view(merchantUid));
                }
                LOG.infof("sync of %s: pending refund %s settled as executed", merchantUid, pending.refundId);
            }
            return payments.recordRefund(merchantUid, syncId, OrderSettlement.wholeWon(pg.cancelAmount()), pg.status(),
                    OrderSettlement.newHistoryEntries(payment, pg), true).flatMap(ignored -> view(merchantUid));
        }));
    }

    /** The stored payment with its refunds, as this service knows them. */
    public Uni<PaymentView> view(String merchantUid) {
        return payments.findDocumentByMerchantUid(merchantUid).map(document -> {
            if (document == null) {
                throw RefundProblem.paymentNotFound(merchantUid);
            }
            return PaymentView.of(document);
        });
    }
}
