package kr.cancelpay.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import kr.cancelpay.client.CancelOutcome;
import kr.cancelpay.client.CancelPaymentRequest;
import kr.cancelpay.client.ChaiPortGateway;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.config.RequestBudget;
import kr.cancelpay.model.Refund;
import kr.cancelpay.model.RefundStatus;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.observability.CancelPayMetrics.InProgress;
import kr.cancelpay.repository.OrderLocks;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.RefundLedger;
import kr.cancelpay.repository.StoreUnavailableException;
import kr.cancelpay.repository.StoreWriteRejectedException;
import kr.cancelpay.service.RefundDecisions.Next;
import kr.cancelpay.service.RefundDecisions.Plan;
import kr.cancelpay.service.RefundDecisions.Verdict;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The refund flow of the ChaiPort guide, made safe for money. It reads top to bottom:
 *
 * <ol>
 *   <li>lock the order ({@link OrderLocks}: one insert; a lease so a crashed replica cannot block
 *       it);
 *   <li>settle an earlier refund of the order left open (UNKNOWN), by asking ChaiPort;
 *   <li>refuse what cannot succeed ({@link RefundDecisions#plan});
 *   <li>record the refund PENDING in the ledger, then point the order at it;
 *   <li>send it with {@code checksum} = the cancelable balance;
 *   <li>decide from the answer ({@link RefundDecisions#afterSend}), asking ChaiPort when the answer
 *       is not clear ({@link RefundDecisions#afterLook});
 *   <li>record the outcome ({@link OrderSync}): SUCCEEDED, FAILED, or UNKNOWN (202);
 *   <li>unlock.
 * </ol>
 *
 * Every step is one single-document write, in an order that lets the next request, the webhook or
 * the janitor finish a refund cut short at any point from the ledger and ChaiPort's answer. The
 * request travels as values: a {@link RefundRequest}, the locked {@link Order}, the {@link Refund}
 * as last recorded.
 */
@ApplicationScoped
public class RefundService {

    private static final Logger LOG = Logger.getLogger(RefundService.class);

    private final OrderLocks locks;
    private final PaymentRepository payments;
    private final RefundLedger ledger;
    private final OrderSync sync;
    private final ChaiPortGateway chaiPort;
    private final RefundOutcomes outcomes;
    private final InFlightRefunds inFlight;
    private final CancelPayMetrics metrics;
    private final Duration lockLease;
    private final RequestBudget budget;
    private final Duration inFlightWindow;
    private final int retryAfterSeconds;

    RefundService(
            OrderLocks locks,
            PaymentRepository payments,
            RefundLedger ledger,
            OrderSync sync,
            ChaiPortGateway chaiPort,
            RefundOutcomes outcomes,
            InFlightRefunds inFlight,
            CancelPayMetrics metrics,
            CancelPayConfig config,
            Config settings) {
        this.locks = locks;
        this.payments = payments;
        this.ledger = ledger;
        this.sync = sync;
        this.chaiPort = chaiPort;
        this.outcomes = outcomes;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.lockLease = config.cancelpay().lockLease();
        this.budget = RequestBudget.of(settings, config.cancelpay().storeTimeout());
        this.inFlightWindow = config.cancelpay().reconcile().olderThan();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    public Uni<RefundResult> refund(RefundRequest request) {
        ChaiPortTime chaiPortTime = new ChaiPortTime();
        Uni<RefundResult> flow =
                lockOrder(request)
                        .flatMap(
                                leaseUntil ->
                                        whileLocked(request, leaseUntil, chaiPortTime)
                                                .onTermination()
                                                .call(
                                                        () ->
                                                                locks.release(request.refundId())
                                                                        .onFailure()
                                                                        .recoverWithNull()))
                        .onTermination()
                        .invoke(
                                (result, failure, cancelled) ->
                                        outcomes.record(
                                                request, result, failure, chaiPortTime.millis()));
        // A caller who hangs up must not cut a refund in half (sent but not recorded, the order
        // locked
        // until its lease runs out): the flow runs to its end on its own subscription; the caller
        // listens.
        return inFlight.detach(flow);
    }

    /**
     * 1. The order's lock, with the refund id as its token; 404 or 409 REFUND_IN_PROGRESS when
     * refused. Answers when its lease runs out.
     */
    private Uni<Instant> lockOrder(RefundRequest request) {
        Instant now = Instant.now();
        Instant leaseUntil = now.plus(lockLease);
        return locks.take(request.merchantUid(), request.refundId(), now, leaseUntil)
                .flatMap(
                        taken -> {
                            if (taken) {
                                return Uni.createFrom().item(leaseUntil);
                            }
                            return payments.findDocumentByMerchantUid(request.merchantUid())
                                    .map(
                                            row -> {
                                                if (row == null) {
                                                    throw RefundProblem.paymentNotFound(
                                                            request.merchantUid());
                                                }
                                                throw RefundProblem.refundInProgress(
                                                        InProgress.LOCKED,
                                                        "다른 환불 요청이 처리 중입니다. Another refund of this order is being processed.",
                                                        retryAfterSeconds);
                                            });
                        });
    }

    private Uni<RefundResult> whileLocked(
            RefundRequest request, Instant leaseUntil, ChaiPortTime chaiPortTime) {
        RefundCommand command = request.command();
        return loadOrder(request.merchantUid())
                .flatMap(order -> settleEarlierRefund(order, chaiPortTime))
                .flatMap(order -> knowPayMethod(order, command, chaiPortTime))
                .flatMap(
                        order -> {
                            Plan plan = RefundDecisions.plan(order, command);
                            if (plan instanceof Plan.Refuse refuse) {
                                return Uni.createFrom().failure(refuse.problem());
                            }
                            return recordPending(order, request, (Plan.Send) plan, leaseUntil)
                                    .flatMap(
                                            pending -> send(order, pending, command, chaiPortTime));
                        });
    }

    private Uni<Order> loadOrder(String merchantUid) {
        return payments.findByMerchantUid(merchantUid)
                .onFailure(StoredRows::unreadable)
                .transform(
                        failure -> {
                            LOG.errorf(
                                    "payment %s cannot be decoded: %s",
                                    merchantUid, failure.getMessage());
                            return StoredRows.unreadableProblem(merchantUid);
                        })
                .map(
                        payment -> {
                            if (payment == null) {
                                throw RefundProblem.paymentNotFound(merchantUid);
                            }
                            return Order.of(payment);
                        });
    }

    /**
     * 2. An earlier refund left open is settled before anything else; while it cannot be, nothing
     * is sent.
     */
    private Uni<Order> settleEarlierRefund(Order order, ChaiPortTime chaiPortTime) {
        if (order.pendingRefundId() == null) {
            return Uni.createFrom().item(order);
        }
        return askChaiPort(order.impUid(), chaiPortTime)
                .flatMap(pg -> sync.settle(order, pg))
                .map(
                        settled -> {
                            if (settled.order().pendingRefundId() != null) {
                                // Still open, or settled in the ledger but the row not synced
                                // (ChaiPort could not be
                                // asked): planning from the row's figures now would use stale ones.
                                throw RefundProblem.refundInProgress(
                                        InProgress.UNSETTLED,
                                        "An earlier refund of this order ("
                                                + settled.order().pendingRefundId()
                                                + ") is not settled yet: its outcome is unknown or ChaiPort cannot be "
                                                + "asked now; it is settled before anything else.",
                                        retryAfterSeconds);
                            }
                            return settled.order();
                        });
    }

    /**
     * The guide's rows keep no pay_method: ask ChaiPort whether this is a vbank payment before
     * sending a refund it would refuse for lack of an account (once: it is stored with the
     * pointer).
     */
    private Uni<Order> knowPayMethod(
            Order order, RefundCommand command, ChaiPortTime chaiPortTime) {
        if (order.payMethod() != null
                || command.account() != null
                || order.impUid() == null
                || order.amount() == null) {
            return Uni.createFrom().item(order);
        }
        return askChaiPort(order.impUid(), chaiPortTime)
                .map(
                        pg ->
                                pg == null || pg.payMethod() == null
                                        ? order
                                        : order.withPayMethod(pg.payMethod()));
    }

    /**
     * 4. In the ledger first, then the order's pointer to it: a pointer always finds its refund,
     * and a refund the order does not point at was never sent (the janitor fails it).
     */
    private Uni<Refund> recordPending(
            Order order, RefundRequest request, Plan.Send plan, Instant leaseUntil) {
        RefundCommand command = request.command();
        RefundCommand.RefundAccount account = command.account();
        Refund.RefundRequestFacts facts =
                new Refund.RefundRequestFacts(
                        order.merchantUid(),
                        order.impUid(),
                        command.reason(),
                        command.taxFree(),
                        command.vatAmount(),
                        command.requester(),
                        account == null
                                ? null
                                : Refund.MaskedAccount.of(
                                        account.bank(), account.holder(), account.number()),
                        request.idempotencyKey(),
                        request.requestedBy());
        Instant now = Instant.now();
        Refund pending =
                Refund.pending(
                        request.refundId(),
                        facts,
                        plan.amount(),
                        plan.cancelAmountBefore(),
                        plan.checksum(),
                        now);
        // Still ours? A request that stalled past its lease must not send beside the one that took
        // over.
        return stillHeld(request.refundId(), leaseUntil, now)
                .flatMap(
                        held -> {
                            if (!held) {
                                return Uni.createFrom()
                                        .failure(
                                                RefundProblem.refundInProgress(
                                                        InProgress.LOCKED,
                                                        "This request's lock on the order was taken over; nothing was sent.",
                                                        retryAfterSeconds));
                            }
                            return ledger.insert(pending)
                                    .flatMap(
                                            inserted ->
                                                    payments.markPending(
                                                            order.merchantUid(),
                                                            pending.id(),
                                                            now,
                                                            order.payMethod()))
                                    .replaceWith(pending);
                        });
    }

    /**
     * Whether the lock is still this request's, with enough lease left for the stretch to the next
     * renewal: from this replica's clock while the lease taken still outlasts that stretch (no
     * other replica can have taken it over before it runs out, and a renewal would change nothing
     * but the date), else from MongoDB by renewing it.
     */
    private Uni<Boolean> stillHeld(String token, Instant leaseUntil, Instant now) {
        if (budget.leaseStillCovers(leaseUntil, now)) {
            return Uni.createFrom().item(true);
        }
        return locks.renew(token, now.plus(lockLease));
    }

    /** 5-7. One send, then what its answer (or ChaiPort, asked) says to do. */
    private Uni<RefundResult> send(
            Order order, Refund refund, RefundCommand command, ChaiPortTime chaiPortTime) {
        return chaiPortTime
                .timed(() -> chaiPort.cancel(cancelRequest(order, refund, command)))
                .flatMap(
                        outcome -> {
                            Refund answered =
                                    refund.withLastOutcome(
                                            RefundDecisions.Outcomes.of(outcome), Instant.now());
                            Next next = RefundDecisions.afterSend(answered, outcome);
                            if (outcome instanceof CancelOutcome.Executed executed) {
                                return identified(order, answered, executed.payment(), chaiPortTime)
                                        .flatMap(
                                                pg ->
                                                        act(
                                                                order,
                                                                answered,
                                                                command,
                                                                next,
                                                                pg,
                                                                chaiPortTime));
                            }
                            if (!(next instanceof Next.Ask)) {
                                return act(order, answered, command, next, null, chaiPortTime);
                            }
                            LOG.warnf(
                                    "refund %s of %s: send %d ended %s; asking ChaiPort",
                                    refund.id(), order.merchantUid(), refund.sends(), outcome);
                            return askChaiPort(order.impUid(), chaiPortTime)
                                    .flatMap(
                                            pg -> {
                                                Verdict verdict =
                                                        RefundDecisions.judge(
                                                                answered,
                                                                RefundDecisions.attribute(
                                                                        answered,
                                                                        order.knownCancels(),
                                                                        pg),
                                                                pg,
                                                                Instant.now(),
                                                                inFlightWindow);
                                                return act(
                                                        order,
                                                        answered,
                                                        command,
                                                        RefundDecisions.afterLook(
                                                                answered, outcome, verdict),
                                                        pg,
                                                        chaiPortTime);
                                            });
                        });
    }

    /**
     * ChaiPort executed the cancel, but an answer whose history does not show which cancel is this
     * one (no cancel_history, an entry without its amount) would record the refund without its
     * cancellation id, and a later sync would then take that cancel for someone else's. So ChaiPort
     * is asked once; its answer is used when it shows the cancel, else the cancel's answer is.
     */
    private Uni<PgPayment> identified(
            Order order, Refund refund, PgPayment answer, ChaiPortTime chaiPortTime) {
        if (RefundDecisions.attribute(refund, order.knownCancels(), answer).ours() != null) {
            return Uni.createFrom().item(answer);
        }
        return askChaiPort(order.impUid(), chaiPortTime)
                .map(
                        pg ->
                                pg != null
                                                && pg.cancelAmountWon() != null
                                                && RefundDecisions.attribute(
                                                                        refund,
                                                                        order.knownCancels(),
                                                                        pg)
                                                                .ours()
                                                        != null
                                        ? pg
                                        : answer);
    }

    private Uni<RefundResult> act(
            Order order,
            Refund refund,
            RefundCommand command,
            Next next,
            PgPayment pg,
            ChaiPortTime chaiPortTime) {
        if (next instanceof Next.Resend) {
            return resend(order, refund, command, chaiPortTime);
        }
        // Still ours? Only the lock's holder writes the order's row; a request that stalled past
        // its
        // lease records its own refund in the ledger and leaves the row to the holder. After an
        // executed
        // cancel, a lock the store cannot confirm counts as lost: the refund is still recorded and
        // the
        // caller still hears 200.
        return locks.renew(refund.id(), Instant.now().plus(lockLease))
                .onFailure(failure -> next instanceof Next.Succeed && storeFailed(failure))
                .recoverWithItem(false)
                .flatMap(
                        held -> {
                            if (!held) {
                                LOG.warnf(
                                        "refund %s of %s: lock lost while sending; recording the refund only",
                                        refund.id(), order.merchantUid());
                            }
                            if (next instanceof Next.Succeed) {
                                return recordSucceeded(order, refund, pg, held);
                            }
                            if (next instanceof Next.Fail fail) {
                                return held
                                        ? recordFailed(order, refund, fail.failure(), chaiPortTime)
                                        : recordInLedgerOnly(
                                                order,
                                                refund,
                                                refund.failed(fail.failure(), Instant.now()));
                            }
                            return held
                                    ? stayUnknown(refund, order)
                                    : recordInLedgerOnly(
                                            order, refund, refund.unknown(Instant.now()));
                        });
    }

    /**
     * The money moved: the caller hears 200 whatever the store says now. If MongoDB is gone,
     * refused a write for good, or the ledger already holds another verdict on this refund, the
     * janitor, the webhook or the next request records ChaiPort's truth (after a refused write:
     * once a person fixed the document); a verdict that contradicts an executed cancel is an alert.
     */
    private Uni<RefundResult> recordSucceeded(
            Order order, Refund refund, PgPayment pg, boolean held) {
        Refund succeeded =
                refund.succeeded(
                        OrderSync.cancellation(
                                RefundDecisions.attribute(refund, order.knownCancels(), pg).ours(),
                                pg),
                        Instant.now());
        RefundResult result = answer(succeeded, PaymentFigures.afterRefund(order, succeeded));
        Uni<Refund> recorded =
                held ? sync.recordExecuted(order, refund, pg) : ledgerTransition(refund, succeeded);
        return recorded.map(
                        ledger -> {
                            if (ledger.status() != RefundStatus.SUCCEEDED) {
                                metrics.settlementConflict();
                                LOG.errorf(
                                        "refund %s of %s was executed by ChaiPort but the ledger holds %s for it; a person must "
                                                + "look (README, 'When a person must look')",
                                        refund.id(), order.merchantUid(), ledger.status());
                            }
                            return result;
                        })
                .onFailure(RefundService::storeFailed)
                .recoverWithItem(
                        failure -> {
                            LOG.errorf(
                                    "refund %s of %s executed at ChaiPort but not recorded (%s); the janitor or the next request "
                                            + "records it",
                                    refund.id(), order.merchantUid(), failure.getMessage());
                            return result;
                        });
    }

    /**
     * MongoDB could not take a write now, or refused it for good: either way it is not recorded.
     */
    private static boolean storeFailed(Throwable failure) {
        return failure instanceof StoreUnavailableException
                || failure instanceof StoreWriteRejectedException;
    }

    /**
     * Without the lock: the refund's own transition only (conditional, so it never overwrites a
     * verdict).
     */
    private Uni<RefundResult> recordInLedgerOnly(Order order, Refund refund, Refund next) {
        return ledgerTransition(refund, next).flatMap(current -> answer(current, order));
    }

    private Uni<Refund> ledgerTransition(Refund from, Refund to) {
        return ledger.transition(from, to)
                .flatMap(moved -> moved ? Uni.createFrom().item(to) : ledger.find(from.id()));
    }

    /**
     * Certainly not executed. A refusal by ChaiPort may come from a row that drifted from its
     * figures (a refund made in ChaiPort's console): the order is synced from ChaiPort on the way,
     * so the next request sends the right checksum and the console's cancel enters the ledger.
     */
    private Uni<RefundResult> recordFailed(
            Order order, Refund refund, Refund.Failure failure, ChaiPortTime chaiPortTime) {
        Uni<?> heal =
                RefundProblem.PG_REJECTED.equals(failure.code())
                        ? askChaiPort(order.impUid(), chaiPortTime)
                                .flatMap(pg -> sync.settle(order, pg))
                                // The refusal stands either way; healing the row is a courtesy the
                                // janitor repeats.
                                .onFailure()
                                .recoverWithNull()
                        : Uni.createFrom().voidItem();
        return sync.recordFailed(order, refund, failure)
                .call(recorded -> heal)
                .flatMap(recorded -> answer(recorded, order));
    }

    /**
     * ChaiPort showed the unanswered send not executed and past the in-flight window: the same
     * cancel once more.
     */
    private Uni<RefundResult> resend(
            Order order, Refund refund, RefundCommand command, ChaiPortTime chaiPortTime) {
        return locks.renew(refund.id(), Instant.now().plus(lockLease))
                .flatMap(
                        held -> {
                            if (!held) {
                                // Our lease ran out and another request took the order over: it
                                // settles this refund by
                                // asking ChaiPort. Sending now could race it, so stop here.
                                LOG.warnf(
                                        "refund %s of %s: lock lost before resending; left to the new holder",
                                        refund.id(), order.merchantUid());
                                return stayUnknown(refund, order);
                            }
                            Refund resent = refund.resent(Instant.now());
                            return ledger.transition(refund, resent)
                                    .flatMap(
                                            recorded ->
                                                    recorded
                                                            ? send(
                                                                    order,
                                                                    resent,
                                                                    command,
                                                                    chaiPortTime)
                                                            : currentState(refund, order));
                        });
    }

    /**
     * Cannot tell yet: UNKNOWN in the ledger, the pointer stays (no other cancel of the order
     * meanwhile), 202.
     */
    private Uni<RefundResult> stayUnknown(Refund refund, Order order) {
        return ledgerTransition(refund, refund.unknown(Instant.now()))
                .flatMap(current -> answer(current, order));
    }

    private Uni<RefundResult> currentState(Refund refund, Order order) {
        return ledger.find(refund.id()).flatMap(current -> answer(current, order));
    }

    /**
     * What a refund's current state says to its caller: 200 SUCCEEDED, 202 while open, and the
     * problem that made it FAILED. The one place that decides it, for live answers and replays.
     */
    RefundResult answer(Refund refund, PaymentFigures payment) {
        RefundAnswer answer = new RefundAnswer(RefundView.of(refund), payment);
        return switch (refund.status()) {
            case SUCCEEDED -> new RefundResult.Refunded(answer);
            case PENDING, UNKNOWN -> new RefundResult.Pending(answer);
            case FAILED -> throw failureProblem(refund);
        };
    }

    /**
     * The live answer. Once settled, the payment's figures are ChaiPort's right after the refund
     * (the row may not hold them yet). While open (202), the row as it stands, which points at the
     * refund: the same figures its poll shows; if it cannot be read now, the figures this request
     * loaded.
     */
    private Uni<RefundResult> answer(Refund refund, Order order) {
        if (!refund.isOpen()) {
            return Uni.createFrom()
                    .item(() -> answer(refund, PaymentFigures.afterRefund(order, refund)));
        }
        return payments.findDocumentByMerchantUid(order.merchantUid())
                .map(row -> row == null ? null : PaymentFigures.of(row))
                .onFailure()
                .recoverWithNull()
                .map(
                        stored ->
                                answer(
                                        refund,
                                        stored != null
                                                ? stored
                                                : PaymentFigures.waitingFor(order, refund)));
    }

    RefundProblem failureProblem(Refund refund) {
        Refund.Failure failure = refund.failure();
        String code = failure == null ? RefundProblem.NOT_EXECUTED : failure.code();
        if (RefundProblem.PG_REJECTED.equals(code)) {
            return RefundProblem.pgRejected(
                    failure.pgCode() == null ? -1 : failure.pgCode(), failure.pgMessage());
        }
        if (RefundProblem.PG_UNAVAILABLE.equals(code)) {
            return RefundProblem.pgUnavailable(retryAfterSeconds);
        }
        return RefundProblem.notExecuted(refund.id());
    }

    /** ChaiPort's view of the payment, or null when it cannot be asked now. */
    private Uni<PgPayment> askChaiPort(String impUid, ChaiPortTime chaiPortTime) {
        return chaiPortTime.timed(() -> chaiPort.findPayment(impUid)).onFailure().recoverWithNull();
    }

    private static CancelPaymentRequest cancelRequest(
            Order order, Refund refund, RefundCommand command) {
        RefundCommand.RefundAccount account = command.account();
        return new CancelPaymentRequest(
                order.impUid(),
                refund.amount(),
                refund.checksum(),
                refund.reason(),
                account == null ? null : account.holder(),
                account == null ? null : account.bank(),
                account == null ? null : account.number(),
                refund.taxFree(),
                refund.vatAmount(),
                refund.requester() == null
                        ? null
                        : new CancelPaymentRequest.Extra(refund.requester()));
    }

    /**
     * How long this request waited for ChaiPort, for its outcome log line. Observability only: no
     * decision reads it.
     */
    static final class ChaiPortTime {
        private final AtomicLong nanos = new AtomicLong();

        <T> Uni<T> timed(Supplier<Uni<T>> call) {
            return Uni.createFrom()
                    .deferred(
                            () -> {
                                long start = System.nanoTime();
                                return call.get()
                                        .onTermination()
                                        .invoke(() -> nanos.addAndGet(System.nanoTime() - start));
                            });
        }

        long millis() {
            return nanos.get() / 1_000_000;
        }
    }
}
