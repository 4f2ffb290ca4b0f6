package kr.cancelpay.service;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.client.ChaiPortGateway;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.Refund;
import kr.cancelpay.repository.OrderLocks;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.RefundLedger;

/**
 * Keeps a stored payment in line with ChaiPort, and shows it: the webhook and the janitor sync an
 * order from what ChaiPort answers when asked (settling its open refund and recording cancels made
 * elsewhere, through {@link OrderSync}), and the read API shows the row with its ledger.
 */
@ApplicationScoped
public class PaymentSyncService {

    /** The read API shows at most this many refunds of one order (no real order has more). */
    static final int REFUNDS_SHOWN = 200;

    private final PaymentRepository payments;
    private final RefundLedger ledger;
    private final OrderLocks locks;
    private final OrderSync sync;
    private final ChaiPortGateway chaiPort;
    private final Duration lockLease;
    private final int retryAfterSeconds;

    PaymentSyncService(PaymentRepository payments, RefundLedger ledger, OrderLocks locks, OrderSync sync,
            ChaiPortGateway chaiPort, CancelPayConfig config) {
        this.payments = payments;
        this.ledger = ledger;
        this.locks = locks;
        this.sync = sync;
        this.chaiPort = chaiPort;
        this.lockLease = config.cancelpay().lockLease();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    /**
     * ChaiPort's webhook (or the janitor) says something may have happened to a payment: sync the
     * order from what ChaiPort answers to {@code GET /payments/{imp_uid}} (never from the webhook's
     * body). Duplicate and out-of-order notifications find nothing new and change nothing.
     */
    public Uni<PaymentView> syncFromChaiPort(String merchantUid) {
        // Fast path without the lock: duplicate or stale notifications (and a flood of forged ones)
        // must not keep real refunds of the order waiting.
        return loadOrder(merchantUid).flatMap(stored -> {
            if (stored.pendingRefundId() != null) {
                return syncLocked(merchantUid);
            }
            return askChaiPort(stored.impUid())
                    .flatMap(pg -> inLineWith(stored, pg) ? view(merchantUid) : syncLocked(merchantUid));
        });
    }

    /** Nothing to sync: ChaiPort's figure and history are what the row already holds. */
    private static boolean inLineWith(Order stored, PgPayment pg) {
        Long figure = pg == null ? null : pg.cancelAmountWon();
        return figure != null && figure == stored.cancelAmount()
                && RefundDecisions.attribute(null, stored.knownCancels(), pg).fresh().isEmpty();
    }

    /**
     * The janitor's entry: settles {@code open}, a refund the ledger shows still open. If the order
     * does not point at it, it never left: the pointer is written before every send, under the same
     * lock, so a refund without one was cut short before its send (a crash, MongoDB gone).
     */
    public Uni<Void> settleOpenRefund(Refund open) {
        return withLock(open.merchantUid(), () -> loadOrder(open.merchantUid()).flatMap(order -> {
            if (open.id().equals(order.pendingRefundId())) {
                return askChaiPort(order.impUid()).flatMap(pg -> sync.settle(order, pg)).replaceWithVoid();
            }
            // Read again under the lock: it may have been settled since the janitor listed it.
            return ledger.find(open.id()).flatMap(current -> current != null && current.isOpen()
                    ? sync.abandon(current).replaceWithVoid()
                    : Uni.createFrom().voidItem());
        }));
    }

    /**
     * The janitor's other entry: an order that points at a refund, settled or not. A crash between
     * the ledger's write and the row's leaves the row behind its refund; settling it from ChaiPort's
     * answer brings the row up to date and drops the pointer.
     */
    public Uni<Void> settlePointedRefund(String merchantUid) {
        return withLock(merchantUid, () -> loadOrder(merchantUid).flatMap(order -> order.pendingRefundId() == null
                ? Uni.createFrom().voidItem()
                : askChaiPort(order.impUid()).flatMap(pg -> sync.settle(order, pg)).replaceWithVoid()));
    }

    private Uni<PaymentView> syncLocked(String merchantUid) {
        return withLock(merchantUid, () -> loadOrder(merchantUid)
                .flatMap(order -> askChaiPort(order.impUid()).flatMap(pg -> {
                    if (pg == null || pg.cancelAmountWon() == null) {
                        return Uni.createFrom().<OrderSync.Settled> failure(RefundProblem.pgUnavailable(retryAfterSeconds));
                    }
                    return sync.settle(order, pg);
                })))
                .flatMap(settled -> {
                    if (settled.stillOpen()) {
                        throw RefundProblem.refundInProgress("Refund " + settled.refund().id()
                                + " of this order has an unknown outcome that ChaiPort cannot confirm yet.",
                                retryAfterSeconds);
                    }
                    return view(merchantUid);
                });
    }

    private <T> Uni<T> withLock(String merchantUid, Supplier<Uni<T>> work) {
        String token = "sync_" + UUID.randomUUID();
        Instant now = Instant.now();
        return locks.take(merchantUid, token, now, now.plus(lockLease)).flatMap(taken -> {
            if (!taken) {
                return Uni.createFrom().failure(RefundProblem.refundInProgress(
                        "다른 환불 요청이 처리 중입니다. Another request is working on this order.", retryAfterSeconds));
            }
            return work.get().onTermination().call(() -> locks.release(token).onFailure().recoverWithNull());
        });
    }

    private Uni<Order> loadOrder(String merchantUid) {
        return payments.findByMerchantUid(merchantUid)
                .onFailure(StoredRows::unreadable).transform(failure -> StoredRows.unreadableProblem(merchantUid))
                .map(payment -> {
                    if (payment == null) {
                        throw RefundProblem.paymentNotFound(merchantUid);
                    }
                    if (payment.impUid == null) {
                        throw RefundProblem.paymentRecordInvalid(merchantUid, "imp_uid is missing");
                    }
                    return Order.of(payment);
                });
    }

    private Uni<PgPayment> askChaiPort(String impUid) {
        return chaiPort.findPayment(impUid).onFailure().recoverWithNull();
    }

    /** The stored payment with its refunds, as this service knows them. */
    public Uni<PaymentView> view(String merchantUid) {
        return payments.findDocumentByMerchantUid(merchantUid).flatMap(document -> {
            if (document == null) {
                throw RefundProblem.paymentNotFound(merchantUid);
            }
            return ledger.findByMerchantUid(merchantUid, REFUNDS_SHOWN)
                    .map(refunds -> PaymentView.of(document, refunds.stream().map(RefundView::of).toList()));
        });
    }

    /** One refund of an order. */
    public Uni<RefundView> refund(String merchantUid, String refundId) {
        return ledger.find(refundId).map(refund -> {
            if (refund == null || !refund.merchantUid().equals(merchantUid)) {
                throw RefundProblem.refundNotFound(merchantUid, refundId);
            }
            return RefundView.of(refund);
        });
    }
}
