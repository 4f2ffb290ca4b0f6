package kr.cancelpay.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;


import io.smallrye.mutiny.Uni;
import kr.cancelpay.client.CancelOutcome;
import kr.cancelpay.client.CancelPaymentRequest;
import kr.cancelpay.client.ChaiPortGateway;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;
import kr.cancelpay.repository.PaymentRepository;
import kr.cancelpay.repository.StoreUnavailableException;
import kr.cancelpay.service.OrderSettlement.Settlement;

/**
 * The refund flow of the ChaiPort guide, made safe for money:
 * <ol>
 * <li>lock the order in MongoDB (one conditional update; a lease so a crashed replica cannot block it);</li>
 * <li>settle an earlier refund whose outcome was left unknown, by asking ChaiPort;</li>
 * <li>refuse what cannot succeed (nothing left, too much, vbank without account);</li>
 * <li>record the refund as pending BEFORE sending it, with {@code checksum} = our cancelable balance;</li>
 * <li>on an unknown outcome, ask ChaiPort whether it happened before sending again (once);</li>
 * <li>store ChaiPort's cumulative {@code cancel_amount}, its status and the new history entry, unlock.</li>
 * </ol>
 * If the process dies between any two steps, the pending record and the lock's lease let the next
 * request for the order, ChaiPort's webhook or the janitor ({@link PaymentSyncService}) find out what happened; nothing is sent twice
 * without ChaiPort's checksum standing guard.
 */
@ApplicationScoped
public class RefundService {

    private static final Logger LOG = Logger.getLogger(RefundService.class);

    /** One send, plus one more only after ChaiPort confirmed the first was not executed. */
    private static final int MAX_SENDS = 2;

    private final PaymentRepository payments;
    private final ChaiPortGateway chaiPort;
    private final OrderSettlement orders;
    private final RefundOutcomes outcomes;
    private final Duration lockLease;
    private final int retryAfterSeconds;

    RefundService(PaymentRepository payments, ChaiPortGateway chaiPort, OrderSettlement orders, RefundOutcomes outcomes,
            CancelPayConfig config) {
        this.payments = payments;
        this.chaiPort = chaiPort;
        this.orders = orders;
        this.outcomes = outcomes;
        this.lockLease = config.cancelpay().lockLease();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    public Uni<RefundResult> refund(RefundCommand command) {
        RefundContext context = new RefundContext(command);
        Uni<RefundResult> flow = orders.lock(command.merchantUid(), context.refundId)
                .flatMap(payment -> {
                    context.payment = payment;
                    return refundLocked(context);
                })
                .onTermination().invoke((result, failure, cancelled) -> outcomes.record(context, result, failure))
                .memoize().indefinitely();
        // A caller who hangs up must not cut a refund in half (sent but not recorded, the order locked
        // until its lease runs out): the flow runs to its end on its own subscription; the caller listens.
        flow.subscribe().with(result -> {
        }, failure -> {
        });
        return flow;
    }

    private Uni<RefundResult> refundLocked(RefundContext context) {
        Payment payment = context.payment;
        if (payment.amount == null || payment.impUid == null) {
            return unlockAndFail(context, RefundProblem.paymentRecordInvalid(payment.merchantUid, "amount or imp_uid is missing"));
        }
        if (payment.pending != null) {
            return settleEarlierRefund(context);
        }
        return startRefund(context);
    }

    private Uni<RefundResult> startRefund(RefundContext context) {
        if (context.payment.payMethod == null && context.command.account() == null) {
            // The guide's rows do not keep pay_method: ask ChaiPort whether this is a vbank payment
            // before sending a refund it would refuse for lack of an account (once: it is then stored).
            return orders.askChaiPort(context.payment.impUid, context).flatMap(pg -> {
                if (pg != null && pg.payMethod() != null) {
                    context.learnedPayMethod = pg.payMethod();
                }
                context.payment.payMethod = context.learnedPayMethod != null ? context.learnedPayMethod : "";
                return startRefund(context);
            });
        }
        Payment payment = context.payment;
        RefundCommand command = context.command;
        long cancelable = payment.cancelable();
        if (payment.isVirtualAccount() && command.account() == null) {
            return unlockAndFail(context, RefundProblem.refundAccountRequired());
        }
        if (cancelable <= 0) {
            return unlockAndFail(context, RefundProblem.alreadyFullyRefunded());
        }
        if (command.amount() != null && command.amount() > cancelable) {
            return unlockAndFail(context, RefundProblem.amountExceedsCancelable(command.amount(), cancelable));
        }
        context.amount = command.amount() != null ? command.amount() : cancelable;
        context.cancelAmountBefore = payment.refundedSoFar();

        PendingRefund pending = new PendingRefund();
        pending.refundId = context.refundId;
        pending.amount = context.amount;
        pending.cancelAmountBefore = context.cancelAmountBefore;
        pending.reason = command.reason();
        pending.requestedAt = new Date();
        return payments.recordPending(payment.merchantUid, context.refundId, pending, Instant.now().plus(lockLease),
                context.learnedPayMethod).flatMap(recorded -> {
                    if (!recorded) {
                        throw RefundProblem.refundInProgress("The order's lock was taken over; nothing was sent.",
                                retryAfterSeconds);
                    }
                    return send(context, 1);
                });
    }

    private Uni<RefundResult> send(RefundContext context, int sendNumber) {
        Uni<Boolean> lockHeld = sendNumber == 1
                ? Uni.createFrom().item(true) // recordPending has just renewed the lease
                : payments.renewLock(context.merchantUid(), context.refundId, Instant.now().plus(lockLease));
        return lockHeld.flatMap(held -> {
            if (!held) {
                // Our lease ran out and another request took the order over: it settles our pending
                // refund by asking ChaiPort. Sending now could race it, so stop here.
                LOG.warnf("refund %s of %s: lock lost before send %d; left to the new holder", context.refundId,
                        context.merchantUid(), sendNumber);
                return Uni.createFrom().item((RefundResult) new RefundResult.Pending(context.merchantUid(),
                        context.refundId, context.amount));
            }
            return sendHoldingLock(context, sendNumber);
        });
    }

    private Uni<RefundResult> sendHoldingLock(RefundContext context, int sendNumber) {
        RefundCommand.RefundAccount account = context.command.account();
        CancelPaymentRequest request = new CancelPaymentRequest(context.payment.impUid, context.amount, context.checksum(),
                context.command.reason(), account == null ? null : account.holder(), account == null ? null : account.bank(),
                account == null ? null : account.number());
        return OrderSettlement.timed(context, () -> chaiPort.cancel(request)).flatMap(outcome -> {
            if (outcome instanceof CancelOutcome.Executed executed) {
                return complete(context, executed.payment());
            }
            if (outcome instanceof CancelOutcome.Unknown unknown) {
                LOG.warnf("refund %s of %s: outcome unknown after send %d (%s); asking ChaiPort", context.refundId,
                        context.merchantUid(), sendNumber, unknown.why());
                context.outcomeUncertain = true;
                return settleUnknown(context, sendNumber);
            }
            RefundProblem problem;
            if (outcome instanceof CancelOutcome.Rejected rejected) {
                problem = RefundProblem.pgRejected(rejected.pgCode(), rejected.pgMessage());
            } else {
                LOG.warnf("refund %s of %s: not sent (%s)", context.refundId, context.merchantUid(),
                        ((CancelOutcome.NotSent) outcome).why());
                problem = RefundProblem.pgUnavailable(retryAfterSeconds);
            }
            if (outcome instanceof CancelOutcome.Rejected || context.outcomeUncertain) {
                return confirmAfterRefusal(context, problem);
            }
            return clearAndFail(context, problem);
        });
    }

    /**
     * ChaiPort refused this send, or it never left after an earlier send's fate was only inferred.
     * Look before concluding: an earlier send may have executed since (and be exactly why the
     * checksum refused this one), and a refusal may come from a row that drifted from ChaiPort's
     * figures (a refund made in ChaiPort's console), which is healed on the way. Nothing that may
     * still execute is ever cleared here.
     */
    private Uni<RefundResult> confirmAfterRefusal(RefundContext context, RefundProblem problem) {
        return orders.askChaiPort(context.payment.impUid, context).flatMap(pg -> {
            if (pg == null) {
                return context.outcomeUncertain ? keepPending(context) : clearAndFail(context, problem);
            }
            Settlement settlement = orders.settle(pg, context.cancelAmountBefore, context.amount);
            if (context.outcomeUncertain) {
                // An earlier send of ours may still be in flight at ChaiPort: its figure moving by our
                // amount is ours; not moving yet proves nothing. Keep it pending until it can be told.
                return settlement == Settlement.EXECUTED ? complete(context, pg) : keepPending(context);
            }
            if (settlement == Settlement.NOT_EXECUTED) {
                return clearAndFail(context, problem);
            }
            // Only this one send, and ChaiPort refused it: whatever moved its figure was not us
            // (a refund in ChaiPort's console). Heal the row from ChaiPort's figures, then refuse.
            return payments.recordRefund(context.merchantUid(), context.refundId, OrderSettlement.wholeWon(pg.cancelAmount()),
                    pg.status(), OrderSettlement.newHistoryEntries(context.payment, pg), true).map(ignored -> {
                        throw problem;
                    });
        });
    }

    /** After a timeout or a 5xx: ask ChaiPort what happened before doing anything else. */
    private Uni<RefundResult> settleUnknown(RefundContext context, int sendNumber) {
        return orders.askChaiPort(context.payment.impUid, context).flatMap(pg -> {
            Settlement settlement = orders.settle(pg, context.cancelAmountBefore, context.amount);
            if (settlement == Settlement.EXECUTED) {
                return complete(context, pg);
            }
            if (settlement == Settlement.NOT_EXECUTED && sendNumber < MAX_SENDS) {
                return send(context, sendNumber + 1);
            }
            // Not executed as far as ChaiPort could say a moment ago is not "certainly never": an
            // unanswered send may still execute. Keep it pending; a later look settles it.
            return keepPending(context);
        });
    }

    /** Cannot tell: keep the pending record (it blocks new cancels), free the lock, say so. */
    private Uni<RefundResult> keepPending(RefundContext context) {
        return payments.unlock(context.merchantUid(), context.refundId)
                .onFailure().recoverWithItem(false)
                .map(ignored -> (RefundResult) new RefundResult.Pending(context.merchantUid(), context.refundId,
                        context.amount));
    }

    /**
     * A refund of this order was left pending (lost answer, crash). Settle it first; if this
     * request repeats it (same amount and reason), answer the settled refund instead of paying twice.
     */
    private Uni<RefundResult> settleEarlierRefund(RefundContext context) {
        Payment payment = context.payment;
        PendingRefund earlier = payment.pending;
        return orders.askChaiPort(payment.impUid, context).flatMap(pg -> {
            Settlement settlement = orders.settle(pg, earlier.cancelAmountBefore, earlier.amount);
            if (settlement == Settlement.NOT_EXECUTED && orders.stillInFlight(earlier)) {
                settlement = Settlement.CANNOT_TELL;
            }
            if (settlement == Settlement.CANNOT_TELL) {
                return unlockAndFail(context, orders.pendingUnsettled(earlier));
            }
            if (settlement == Settlement.NOT_EXECUTED) {
                LOG.infof("refund %s of %s: earlier refund %s settled as not executed", context.refundId,
                        payment.merchantUid, earlier.refundId);
                return payments.clearPending(payment.merchantUid, context.refundId, false).flatMap(ignored -> {
                    payment.pending = null;
                    // That earlier send may still execute late: a refusal of ours must be looked into.
                    context.outcomeUncertain = true;
                    return startRefund(context);
                });
            }
            List<CancelHistoryEntry> newEntries = OrderSettlement.newHistoryEntries(payment, pg);
            boolean repeat = repeats(context.command, earlier, payment);
            LOG.infof("refund %s of %s: earlier refund %s settled as executed%s", context.refundId, payment.merchantUid,
                    earlier.refundId, repeat ? "; this request repeats it" : "");
            long pgCancelAmount = OrderSettlement.wholeWon(pg.cancelAmount());
            return payments.recordRefund(payment.merchantUid, context.refundId, pgCancelAmount, pg.status(), newEntries, repeat)
                    .flatMap(recorded -> {
                        if (repeat) {
                            context.amount = earlier.amount;
                            context.cancelAmountBefore = earlier.cancelAmountBefore;
                            return Uni.createFrom().item((RefundResult) refunded(context, pg, newEntries, earlier.reason));
                        }
                        payment.pending = null;
                        payment.cancelAmount = pgCancelAmount;
                        payment.cancelHistory = Stream.concat(payment.history().stream(), newEntries.stream()).toList();
                        return startRefund(context);
                    });
        });
    }

    private static boolean repeats(RefundCommand command, PendingRefund earlier, Payment payment) {
        boolean sameAmount = command.amount() == null
                ? earlier.cancelAmountBefore + earlier.amount == payment.amount
                : command.amount().equals(earlier.amount);
        return sameAmount && Objects.equals(command.reason(), earlier.reason);
    }

    private Uni<RefundResult> complete(RefundContext context, PgPayment pg) {
        List<CancelHistoryEntry> newEntries = OrderSettlement.newHistoryEntries(context.payment, pg);
        long pgCancelAmount = OrderSettlement.wholeWon(pg.cancelAmount());
        RefundResult.Refunded result = refunded(context, pg, newEntries, context.command.reason());
        return payments.recordRefund(context.merchantUid(), context.refundId, pgCancelAmount, pg.status(), newEntries, true)
                .flatMap(recorded -> recorded ? Uni.createFrom().item(true)
                        : payments.recordRefundUnlocked(context.merchantUid(), pgCancelAmount, newEntries))
                .map(ignored -> (RefundResult) result)
                // The money moved: the caller must hear so even if MongoDB is gone now. The pending
                // record stays and the janitor, the webhook or the next request syncs it from ChaiPort.
                .onFailure(StoreUnavailableException.class).recoverWithItem(failure -> {
                    LOG.errorf("refund %s of %s executed at ChaiPort but not recorded (%s); the janitor or the next request settles it",
                            context.refundId, context.merchantUid(), failure.getMessage());
                    return result;
                });
    }

    private static RefundResult.Refunded refunded(RefundContext context, PgPayment pg, List<CancelHistoryEntry> newEntries,
            String reason) {
        Payment payment = context.payment;
        long amount = context.amount;
        long paid = OrderSettlement.wholeWon(pg.amount() != null ? pg.amount() : BigDecimal.valueOf(payment.amount));
        long cancelAmount = OrderSettlement.wholeWon(pg.cancelAmount());
        CancelHistoryEntry entry = newEntries.stream().filter(e -> e.amount != null && e.amount == amount)
                .reduce((first, second) -> second).orElse(null);
        RefundResult.Cancellation cancellation = entry != null
                ? new RefundResult.Cancellation(amount, entry.reason != null ? entry.reason : reason,
                        OrderSettlement.isoSeconds(entry.cancelledAt), entry.cancellationId, entry.pgTid, entry.receiptUrl)
                : new RefundResult.Cancellation(amount, reason, OrderSettlement.isoSeconds(pg.cancelledAt()), null, null, pg.receiptUrl());
        return new RefundResult.Refunded(payment.merchantUid, payment.impUid, context.refundId, paid, cancelAmount,
                paid - cancelAmount, pg.status(), cancellation);
    }

    private Uni<RefundResult> unlockAndFail(RefundContext context, RefundProblem problem) {
        return payments.unlock(context.merchantUid(), context.refundId).map(ignored -> {
            throw problem;
        });
    }

    /** Nothing was executed: forget the pending refund, free the order, report. */
    private Uni<RefundResult> clearAndFail(RefundContext context, RefundProblem problem) {
        return payments.clearPending(context.merchantUid(), context.refundId, true).map(ignored -> {
            throw problem;
        });
    }

}
