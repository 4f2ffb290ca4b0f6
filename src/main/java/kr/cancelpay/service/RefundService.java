package kr.cancelpay.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

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
 * request for the order find out what happened; nothing is sent twice without ChaiPort's checksum
 * standing guard.
 */
@ApplicationScoped
public class RefundService {

    private static final Logger LOG = Logger.getLogger(RefundService.class);

    /** One send, plus one more only after ChaiPort confirmed the first was not executed. */
    private static final int MAX_SENDS = 2;

    private final PaymentRepository payments;
    private final ChaiPortGateway chaiPort;
    private final Duration lockLease;
    private final int retryAfterSeconds;

    RefundService(PaymentRepository payments, ChaiPortGateway chaiPort, CancelPayConfig config) {
        this.payments = payments;
        this.chaiPort = chaiPort;
        this.lockLease = config.cancelpay().lockLease();
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    /** The state of one refund request once it holds the order's lock. */
    private record Attempt(String refundId, RefundCommand command, Payment payment, long amount, long cancelAmountBefore) {
        String merchantUid() {
            return payment.merchantUid;
        }
    }

    private enum Settlement {
        EXECUTED, NOT_EXECUTED, CANNOT_TELL
    }

    public Uni<RefundResult> refund(RefundCommand command) {
        String refundId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return payments.lock(command.merchantUid(), refundId, now, now.plus(lockLease))
                .flatMap(locked -> locked == null
                        ? explainLockRefusal(command.merchantUid())
                        : refundLocked(refundId, command, locked));
    }

    private Uni<RefundResult> explainLockRefusal(String merchantUid) {
        return payments.findByMerchantUid(merchantUid).map(payment -> {
            if (payment == null) {
                throw RefundProblem.paymentNotFound(merchantUid);
            }
            throw RefundProblem.refundInProgress(
                    "다른 환불 요청이 처리 중입니다. Another refund of this order is being processed.", retryAfterSeconds);
        });
    }

    private Uni<RefundResult> refundLocked(String refundId, RefundCommand command, Payment payment) {
        if (payment.amount == null || payment.impUid == null) {
            return unlockAndFail(payment.merchantUid, refundId,
                    RefundProblem.paymentRecordInvalid(payment.merchantUid, "amount or imp_uid is missing"));
        }
        if (payment.pending != null) {
            return settleEarlierRefund(refundId, command, payment);
        }
        return startRefund(refundId, command, payment);
    }

    private Uni<RefundResult> startRefund(String refundId, RefundCommand command, Payment payment) {
        long cancelable = payment.cancelable();
        if (payment.isVirtualAccount() && command.account() == null) {
            return unlockAndFail(payment.merchantUid, refundId, RefundProblem.refundAccountRequired());
        }
        if (cancelable <= 0) {
            return unlockAndFail(payment.merchantUid, refundId, RefundProblem.alreadyFullyRefunded());
        }
        if (command.amount() != null && command.amount() > cancelable) {
            return unlockAndFail(payment.merchantUid, refundId,
                    RefundProblem.amountExceedsCancelable(command.amount(), cancelable));
        }
        Attempt attempt = new Attempt(refundId, command, payment,
                command.amount() != null ? command.amount() : cancelable, payment.refundedSoFar());

        PendingRefund pending = new PendingRefund();
        pending.refundId = refundId;
        pending.amount = attempt.amount();
        pending.cancelAmountBefore = attempt.cancelAmountBefore();
        pending.reason = command.reason();
        pending.requestedAt = new Date();
        return payments.recordPending(payment.merchantUid, refundId, pending).flatMap(recorded -> {
            if (!recorded) {
                throw RefundProblem.refundInProgress("The order's lock was taken over; nothing was sent.", retryAfterSeconds);
            }
            return send(attempt, 1);
        });
    }

    private Uni<RefundResult> send(Attempt attempt, int sendNumber) {
        RefundCommand.RefundAccount account = attempt.command().account();
        CancelPaymentRequest request = new CancelPaymentRequest(attempt.payment().impUid, attempt.amount(),
                attempt.payment().amount - attempt.cancelAmountBefore(), attempt.command().reason(),
                account == null ? null : account.holder(), account == null ? null : account.bank(),
                account == null ? null : account.number());
        return chaiPort.cancel(request).flatMap(outcome -> {
            if (outcome instanceof CancelOutcome.Executed executed) {
                return complete(attempt, executed.payment());
            }
            if (outcome instanceof CancelOutcome.Rejected rejected) {
                log(attempt, "rejected", "pg_code=" + rejected.pgCode());
                return clearAndFail(attempt, RefundProblem.pgRejected(rejected.pgCode(), rejected.pgMessage()));
            }
            if (outcome instanceof CancelOutcome.NotSent notSent) {
                log(attempt, "not_sent", notSent.why());
                return clearAndFail(attempt, RefundProblem.pgUnavailable(notSent.why(), retryAfterSeconds));
            }
            String why = ((CancelOutcome.Unknown) outcome).why();
            LOG.warnf("refund %s of %s: outcome unknown after send %d (%s); asking ChaiPort",
                    attempt.refundId(), attempt.merchantUid(), sendNumber, why);
            return settleUnknown(attempt, sendNumber);
        });
    }

    /** After a timeout or a 5xx: ask ChaiPort what happened before doing anything else. */
    private Uni<RefundResult> settleUnknown(Attempt attempt, int sendNumber) {
        return askChaiPort(attempt.payment().impUid).flatMap(pg -> {
            Settlement settlement = settle(pg, attempt.cancelAmountBefore(), attempt.amount());
            if (settlement == Settlement.EXECUTED) {
                return complete(attempt, pg);
            }
            if (settlement == Settlement.NOT_EXECUTED) {
                if (sendNumber < MAX_SENDS) {
                    return send(attempt, sendNumber + 1);
                }
                log(attempt, "not_executed", "ChaiPort confirmed no cancel after " + sendNumber + " sends");
                return clearAndFail(attempt,
                        RefundProblem.pgUnavailable("ChaiPort did not execute the cancel", retryAfterSeconds));
            }
            // Cannot tell: keep the pending record (it blocks new cancels), free the lock, say so.
            log(attempt, "pending", "outcome unknown, left for settlement");
            return payments.unlock(attempt.merchantUid(), attempt.refundId())
                    .onFailure().recoverWithItem(false)
                    .map(ignored -> (RefundResult) new RefundResult.Pending(attempt.merchantUid(), attempt.refundId(),
                            attempt.amount()));
        });
    }

    /**
     * A refund of this order was left pending (lost answer, crash). Settle it first; if this
     * request repeats it (same amount and reason), answer the settled refund instead of paying twice.
     */
    private Uni<RefundResult> settleEarlierRefund(String refundId, RefundCommand command, Payment payment) {
        PendingRefund earlier = payment.pending;
        return askChaiPort(payment.impUid).flatMap(pg -> {
            Settlement settlement = settle(pg, earlier.cancelAmountBefore, earlier.amount);
            if (settlement == Settlement.CANNOT_TELL) {
                return payments.unlock(payment.merchantUid, refundId).map(ignored -> {
                    throw RefundProblem.refundInProgress("An earlier refund of this order (" + earlier.refundId
                            + ") has an unknown outcome that ChaiPort cannot confirm yet; it is settled before a new refund starts.",
                            retryAfterSeconds);
                });
            }
            if (settlement == Settlement.NOT_EXECUTED) {
                LOG.infof("refund %s of %s: earlier refund %s settled as not executed", refundId, payment.merchantUid,
                        earlier.refundId);
                return payments.clearPending(payment.merchantUid, refundId, false).flatMap(ignored -> {
                    payment.pending = null;
                    return startRefund(refundId, command, payment);
                });
            }
            List<CancelHistoryEntry> newEntries = newHistoryEntries(payment, pg);
            boolean repeat = repeats(command, earlier, payment);
            LOG.infof("refund %s of %s: earlier refund %s settled as executed%s", refundId, payment.merchantUid,
                    earlier.refundId, repeat ? "; this request repeats it" : "");
            long pgCancelAmount = wholeWon(pg.cancelAmount());
            return payments.recordRefund(payment.merchantUid, refundId, pgCancelAmount, pg.status(), newEntries, repeat)
                    .flatMap(recorded -> {
                        if (repeat) {
                            return Uni.createFrom().item((RefundResult) refunded(payment, pg, newEntries, earlier.amount,
                                    earlier.reason));
                        }
                        payment.pending = null;
                        payment.cancelAmount = pgCancelAmount;
                        payment.cancelHistory = concat(payment.history(), newEntries);
                        return startRefund(refundId, command, payment);
                    });
        });
    }

    private static boolean repeats(RefundCommand command, PendingRefund earlier, Payment payment) {
        boolean sameAmount = command.amount() == null
                ? earlier.cancelAmountBefore + earlier.amount == payment.amount
                : command.amount().equals(earlier.amount);
        return sameAmount && Objects.equals(command.reason(), earlier.reason);
    }

    private Uni<PgPayment> askChaiPort(String impUid) {
        return chaiPort.findPayment(impUid).onFailure().recoverWithNull();
    }

    /** ChaiPort's cumulative figure is the truth: it moved by exactly our amount, or not at all. */
    private static Settlement settle(PgPayment pg, long cancelAmountBefore, long amount) {
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
        LOG.errorf("ChaiPort cancel_amount %d of imp_uid %s matches neither %d (not executed) nor %d (executed)",
                now, pg.impUid(), cancelAmountBefore, cancelAmountBefore + amount);
        return Settlement.CANNOT_TELL;
    }

    private Uni<RefundResult> complete(Attempt attempt, PgPayment pg) {
        List<CancelHistoryEntry> newEntries = newHistoryEntries(attempt.payment(), pg);
        long pgCancelAmount = wholeWon(pg.cancelAmount());
        RefundResult.Refunded result = refunded(attempt.payment(), pg, newEntries, attempt.amount(),
                attempt.command().reason());
        log(attempt, "refunded", "cancel_amount=" + pgCancelAmount);
        return payments.recordRefund(attempt.merchantUid(), attempt.refundId(), pgCancelAmount, pg.status(), newEntries, true)
                .flatMap(recorded -> recorded ? Uni.createFrom().item(true)
                        : payments.recordRefundUnlocked(attempt.merchantUid(), pgCancelAmount, newEntries))
                .map(ignored -> (RefundResult) result)
                // The money moved: the caller must hear so even if MongoDB is gone now. The pending
                // record stays and the next request for the order syncs it from ChaiPort.
                .onFailure(StoreUnavailableException.class).recoverWithItem(failure -> {
                    LOG.errorf("refund %s of %s executed at ChaiPort but not recorded (%s); it is settled on the next request",
                            attempt.refundId(), attempt.merchantUid(), failure.getMessage());
                    return result;
                });
    }

    private static RefundResult.Refunded refunded(Payment payment, PgPayment pg, List<CancelHistoryEntry> newEntries,
            long amount, String reason) {
        long paid = wholeWon(pg.amount() != null ? pg.amount() : BigDecimal.valueOf(payment.amount));
        long cancelAmount = wholeWon(pg.cancelAmount());
        CancelHistoryEntry entry = newEntries.stream().filter(e -> e.amount != null && e.amount == amount)
                .reduce((first, second) -> second).orElse(null);
        RefundResult.Cancellation cancellation = entry != null
                ? new RefundResult.Cancellation(amount, entry.reason != null ? entry.reason : reason,
                        isoSeconds(entry.cancelledAt), entry.cancellationId, entry.pgTid, entry.receiptUrl)
                : new RefundResult.Cancellation(amount, reason, isoSeconds(pg.cancelledAt()), null, null, pg.receiptUrl());
        return new RefundResult.Refunded(payment.merchantUid, payment.impUid, paid, cancelAmount, paid - cancelAmount,
                pg.status(), cancellation);
    }

    /** ChaiPort's history entries the stored document does not have yet. */
    private static List<CancelHistoryEntry> newHistoryEntries(Payment payment, PgPayment pg) {
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

    private Uni<RefundResult> unlockAndFail(String merchantUid, String refundId, RefundProblem problem) {
        return payments.unlock(merchantUid, refundId).map(ignored -> {
            throw problem;
        });
    }

    /** Nothing was executed: forget the pending refund, free the order, report. */
    private Uni<RefundResult> clearAndFail(Attempt attempt, RefundProblem problem) {
        return payments.clearPending(attempt.merchantUid(), attempt.refundId(), true).map(ignored -> {
            throw problem;
        });
    }

    private static void log(Attempt attempt, String outcome, String detail) {
        LOG.infof("refund %s of %s: %s, amount=%d, cancel_amount_before=%d (%s)", attempt.refundId(),
                attempt.merchantUid(), outcome, attempt.amount(), attempt.cancelAmountBefore(), detail);
    }

    private static long wholeWon(BigDecimal amount) {
        return amount.longValueExact();
    }

    private static String isoSeconds(Long unixSeconds) {
        return unixSeconds == null || unixSeconds == 0 ? null : Instant.ofEpochSecond(unixSeconds).toString();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
