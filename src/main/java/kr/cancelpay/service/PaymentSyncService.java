package kr.cancelpay.service;

import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import kr.cancelpay.client.ChaiPortException;
import kr.cancelpay.client.ChaiPortGateway;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.Refund;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.observability.CancelPayMetrics.InProgress;
import kr.cancelpay.repository.OrderLocks;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.RefundLedger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

/**
 * Keeps a stored payment in line with ChaiPort, and shows it: the webhook and the janitor sync an
 * order from what ChaiPort answers when asked (settling its open refund and recording cancels made
 * elsewhere, through {@link OrderSync}), and the read API shows the row with its ledger.
 */
@ApplicationScoped
public class PaymentSyncService {

    private static final Logger LOG = Logger.getLogger(PaymentSyncService.class);

    /** The read API shows at most this many refunds of one order (no real order has more). */
    static final int REFUNDS_SHOWN = 200;

    private final PaymentRepository payments;
    private final RefundLedger ledger;
    private final OrderLocks locks;
    private final OrderSync sync;
    private final ChaiPortGateway chaiPort;
    private final CancelPayMetrics metrics;
    private final Duration lockLease;
    private final int retryAfterSeconds;
    private final CoalescedRuns webhookRuns = new CoalescedRuns();

    PaymentSyncService(
            PaymentRepository payments,
            RefundLedger ledger,
            OrderLocks locks,
            OrderSync sync,
            ChaiPortGateway chaiPort,
            CancelPayMetrics metrics,
            CancelPayConfig config) {
        this.payments = payments;
        this.ledger = ledger;
        this.locks = locks;
        this.sync = sync;
        this.chaiPort = chaiPort;
        this.metrics = metrics;
        this.lockLease = config.cancelpay().lockLease();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    /**
     * ChaiPort's webhook says something may have happened to an order: sync it from what ChaiPort
     * answers to {@code GET /payments/{imp_uid}} (never from the notification). Completes when the
     * order is in line with ChaiPort, and also when no resend could change anything (an order we do
     * not have, a row that cannot be synced automatically: logged). Fails, so that ChaiPort resends
     * it, with {@link RefundProblem#webhookNotSynced} when it could not be synced now (a refund
     * holds the order, ChaiPort cannot be asked or its answer tells nothing, a refund's outcome
     * still unknown), and with the limiter's exception beyond the webhook's rate limit.
     *
     * <p>Bounded, because anyone may post it: notifications of one order are coalesced ({@link
     * CoalescedRuns}: at most one sync in flight and one waiting), the lookups are rate-limited
     * with a breaker of their own ({@link ChaiPortGateway#findPaymentForWebhook}), and the order's
     * lock is taken only when ChaiPort shows something the row does not hold.
     */
    public Uni<Void> syncForWebhook(String merchantUid) {
        return webhookRuns.join(merchantUid, () -> webhookSync(merchantUid));
    }

    private Uni<Void> webhookSync(String merchantUid) {
        return orderForWebhook(merchantUid)
                .flatMap(
                        stored -> {
                            if (stored == null) {
                                return Uni.createFrom().voidItem();
                            }
                            if (stored.pendingRefundId() != null) {
                                return webhookSyncLocked(merchantUid);
                            }
                            // Without the lock first: duplicate or stale notifications (and a flood
                            // of forged ones) must not keep real refunds of the order waiting.
                            return askChaiPortForWebhook(stored)
                                    .flatMap(
                                            pg ->
                                                    pg == null || inLineWith(stored, pg)
                                                            ? Uni.createFrom().voidItem()
                                                            : webhookSyncLocked(merchantUid));
                        });
    }

    private Uni<Void> webhookSyncLocked(String merchantUid) {
        Supplier<RuntimeException> busy =
                () -> notSynced(merchantUid, "another request holds the order");
        return withLock(
                merchantUid,
                busy,
                () ->
                        orderForWebhook(merchantUid)
                                .flatMap(
                                        order ->
                                                order == null
                                                        ? Uni.createFrom().voidItem()
                                                        : settleForWebhook(order)));
    }

    /**
     * Under the lock: settle from ChaiPort's answer; fail (ChaiPort resends) unless in line after.
     */
    private Uni<Void> settleForWebhook(Order order) {
        return askChaiPortForWebhook(order)
                .flatMap(
                        pg ->
                                pg == null
                                        ? Uni.createFrom().voidItem()
                                        : sync.settle(order, pg)
                                                .invoke(settled -> requireSynced(settled, pg))
                                                .replaceWithVoid());
    }

    private void requireSynced(OrderSync.Settled settled, PgPayment pg) {
        String merchantUid = settled.order().merchantUid();
        if (settled.stillOpen()) {
            throw notSynced(
                    merchantUid,
                    "refund "
                            + settled.refund().id()
                            + " has an outcome ChaiPort cannot confirm yet");
        }
        if (!inLineWith(settled.order(), pg)) {
            throw notSynced(merchantUid, "ChaiPort shows cancels that cannot be recorded yet");
        }
    }

    /**
     * The order a notification names; null, logged, when a resend could not change anything: no
     * such order (answered like any other, so the answer tells a stranger nothing), or a row that
     * cannot be synced automatically.
     */
    private Uni<Order> orderForWebhook(String merchantUid) {
        return payments.findByMerchantUid(merchantUid)
                .onFailure(StoredRows::unreadable)
                .recoverWithItem(
                        failure -> {
                            LOG.warnf(
                                    "webhook for %s: the stored row cannot be decoded (%s); it cannot be synced automatically",
                                    merchantUid, failure.getMessage());
                            return null;
                        })
                .map(
                        payment -> {
                            if (payment == null) {
                                LOG.infof("webhook for unknown order %s acknowledged", merchantUid);
                                return null;
                            }
                            if (payment.impUid == null) {
                                LOG.warnf(
                                        "webhook for %s: the stored row has no imp_uid; it cannot be synced automatically",
                                        merchantUid);
                                return null;
                            }
                            return Order.of(payment);
                        });
    }

    /**
     * ChaiPort's answer for the webhook; null when ChaiPort does not know the stored imp_uid (no
     * resend can change that: logged). Fails with {@link RefundProblem#webhookNotSynced} when it
     * cannot be asked or its answer has no readable figure; the limiter's exceptions pass through.
     */
    private Uni<PgPayment> askChaiPortForWebhook(Order order) {
        return chaiPort.findPaymentForWebhook(order.impUid())
                .onFailure(ChaiPortException.NotFound.class)
                .recoverWithItem(
                        failure -> {
                            LOG.warnf(
                                    "webhook for %s: ChaiPort does not know its imp_uid %s",
                                    order.merchantUid(), order.impUid());
                            return null;
                        })
                .onFailure(
                        failure ->
                                !(failure instanceof RateLimitException
                                        || failure instanceof BulkheadException))
                .transform(
                        failure -> {
                            metrics.chaiPortLookupFailed(CancelPayMetrics.LOOKUP_WEBHOOK);
                            LOG.warnf(
                                    "webhook for %s: ChaiPort lookup of %s failed (%s)",
                                    order.merchantUid(), order.impUid(), failure.getMessage());
                            return notSynced(order.merchantUid(), "ChaiPort cannot be asked now");
                        })
                .invoke(
                        pg -> {
                            if (pg != null && pg.cancelAmountWon() == null) {
                                throw notSynced(
                                        order.merchantUid(),
                                        "ChaiPort's answer has no whole cancel_amount");
                            }
                        });
    }

    private RefundProblem notSynced(String merchantUid, String why) {
        LOG.infof("webhook for %s not synced, asking ChaiPort to resend it: %s", merchantUid, why);
        return RefundProblem.webhookNotSynced(retryAfterSeconds);
    }

    /** Nothing to sync: ChaiPort's figure and history are what the row already holds. */
    private static boolean inLineWith(Order stored, PgPayment pg) {
        Long figure = pg.cancelAmountWon();
        return figure != null
                && figure == stored.cancelAmount()
                && RefundDecisions.attribute(null, stored.knownCancels(), pg).fresh().isEmpty();
    }

    /**
     * The janitor's entry: settles {@code open}, a refund the ledger shows still open. If the order
     * does not point at it, it never left: the pointer is written before every send, under the same
     * lock, so a refund without one was cut short before its send (a crash, MongoDB gone). Answers
     * whether this call settled it; fails when ChaiPort could not be asked (counted, logged).
     */
    public Uni<Boolean> settleOpenRefund(Refund open) {
        return withLock(
                open.merchantUid(),
                () ->
                        loadOrder(open.merchantUid())
                                .flatMap(
                                        order -> {
                                            if (open.id().equals(order.pendingRefundId())) {
                                                return askChaiPort(order)
                                                        .flatMap(pg -> sync.settle(order, pg))
                                                        .map(PaymentSyncService::freed);
                                            }
                                            // Read again under the lock: it may have been settled
                                            // since the janitor listed it.
                                            return ledger.find(open.id())
                                                    .flatMap(
                                                            current ->
                                                                    current != null
                                                                                    && current
                                                                                            .isOpen()
                                                                            ? sync.abandon(current)
                                                                                    .map(
                                                                                            abandoned ->
                                                                                                    !abandoned
                                                                                                            .isOpen())
                                                                            : Uni.createFrom()
                                                                                    .item(false));
                                        }));
    }

    /**
     * The janitor's other entry: an order that points at a refund, settled or not. A crash between
     * the ledger's write and the row's leaves the row behind its refund; settling it from
     * ChaiPort's answer brings the row up to date and drops the pointer. Answers whether this call
     * freed the order; fails when ChaiPort could not be asked (counted, logged).
     */
    public Uni<Boolean> settlePointedRefund(String merchantUid) {
        return withLock(
                merchantUid,
                () ->
                        loadOrder(merchantUid)
                                .flatMap(
                                        order ->
                                                order.pendingRefundId() == null
                                                        ? Uni.createFrom().item(false)
                                                        : askChaiPort(order)
                                                                .flatMap(
                                                                        pg ->
                                                                                sync.settle(
                                                                                        order, pg))
                                                                .map(PaymentSyncService::freed)));
    }

    private <T> Uni<T> withLock(String merchantUid, Supplier<Uni<T>> work) {
        return withLock(
                merchantUid,
                () ->
                        RefundProblem.refundInProgress(
                                InProgress.LOCKED,
                                "다른 환불 요청이 처리 중입니다. Another request is working on this order.",
                                retryAfterSeconds),
                work);
    }

    /**
     * {@code work} under the order's lock, released whatever the work ends with; {@code busy} when
     * it is held.
     */
    private <T> Uni<T> withLock(
            String merchantUid, Supplier<RuntimeException> busy, Supplier<Uni<T>> work) {
        String token = "sync_" + UUID.randomUUID();
        Instant now = Instant.now();
        return locks.take(merchantUid, token, now, now.plus(lockLease))
                .flatMap(
                        taken -> {
                            if (!taken) {
                                return Uni.createFrom().failure(busy.get());
                            }
                            return work.get()
                                    .onTermination()
                                    .call(() -> locks.release(token).onFailure().recoverWithNull());
                        });
    }

    private Uni<Order> loadOrder(String merchantUid) {
        return payments.findByMerchantUid(merchantUid)
                .onFailure(StoredRows::unreadable)
                .transform(failure -> StoredRows.unreadableProblem(merchantUid))
                .map(
                        payment -> {
                            if (payment == null) {
                                throw RefundProblem.paymentNotFound(merchantUid);
                            }
                            if (payment.impUid == null) {
                                throw RefundProblem.paymentRecordInvalid(
                                        merchantUid, "imp_uid is missing");
                            }
                            return Order.of(payment);
                        });
    }

    /**
     * The settlement freed the order: its refund is recorded and the row no longer points at it.
     */
    private static boolean freed(OrderSync.Settled settled) {
        return settled.order().pendingRefundId() == null;
    }

    /**
     * ChaiPort's view of the payment for a settlement. A failure is counted and logged at WARN here
     * (the janitor's only sign that ChaiPort cannot be reached), then passed on: nothing is
     * settled.
     */
    private Uni<PgPayment> askChaiPort(Order order) {
        return chaiPort.findPayment(order.impUid())
                .onFailure()
                .invoke(
                        failure -> {
                            metrics.chaiPortLookupFailed(CancelPayMetrics.LOOKUP_SETTLE);
                            LOG.warnf(
                                    "settling %s: ChaiPort lookup of %s failed (%s); its open refund stays as it is",
                                    order.merchantUid(), order.impUid(), failure.getMessage());
                        });
    }

    /** The stored payment with its refunds, as this service knows them. */
    public Uni<PaymentView> view(String merchantUid) {
        return payments.findDocumentByMerchantUid(merchantUid)
                .flatMap(
                        document -> {
                            if (document == null) {
                                throw RefundProblem.paymentNotFound(merchantUid);
                            }
                            return ledger.findByMerchantUid(merchantUid, REFUNDS_SHOWN)
                                    .map(
                                            refunds ->
                                                    PaymentView.of(
                                                            document,
                                                            refunds.stream()
                                                                    .map(RefundView::of)
                                                                    .toList()));
                        });
    }

    /**
     * One refund of an order, with the payment's figures as stored now (after a 202, polling this
     * gives what the 200 would have).
     */
    public Uni<RefundAnswer> refund(String merchantUid, String refundId) {
        return ledger.find(refundId)
                .flatMap(
                        refund -> {
                            if (refund == null || !refund.merchantUid().equals(merchantUid)) {
                                throw RefundProblem.refundNotFound(merchantUid, refundId);
                            }
                            return figures(merchantUid)
                                    .map(
                                            payment ->
                                                    new RefundAnswer(
                                                            RefundView.of(refund), payment));
                        });
    }

    /** The payment's figures as stored now; 404 PAYMENT_NOT_FOUND when the row is gone. */
    Uni<PaymentFigures> figures(String merchantUid) {
        return payments.findDocumentByMerchantUid(merchantUid)
                .map(
                        row -> {
                            if (row == null) {
                                throw RefundProblem.paymentNotFound(merchantUid);
                            }
                            return PaymentFigures.of(row);
                        });
    }
}
