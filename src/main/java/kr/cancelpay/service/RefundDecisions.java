package kr.cancelpay.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kr.cancelpay.client.CancelOutcome;
import kr.cancelpay.client.PgPayment;
import kr.cancelpay.client.PgPayment.PgCancel;
import kr.cancelpay.model.Refund;

/**
 * Every decision of the refund flow, as pure functions of values: what to send, whether a refund
 * was executed given what ChaiPort shows, and what to do next after a send or a look. No HTTP, no
 * MongoDB, no clock but the {@code now} passed in: each is proved by a table test.
 */
final class RefundDecisions {

    /** How far ChaiPort's clock may lag ours when a cancel's time is compared with our send. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** One send, plus one more only after ChaiPort showed the first not executed. */
    static final int MAX_SENDS = 2;

    private RefundDecisions() {}

    // ---- 1. Before sending: what can succeed ---------------------------------------------------

    /** What a refund request comes to before anything is sent. */
    sealed interface Plan {
        /** Refused: nothing recorded, nothing sent. */
        record Refuse(RefundProblem problem) implements Plan {}

        /** Send {@code amount} with {@code checksum} = the cancelable balance before it. */
        record Send(long amount, long cancelAmountBefore, long checksum) implements Plan {}
    }

    /** The checks the guide makes, and ours, in the order a caller would fix them. */
    static Plan plan(Order order, RefundCommand command) {
        if (order.amount() == null || order.impUid() == null) {
            return new Plan.Refuse(
                    RefundProblem.paymentRecordInvalid(
                            order.merchantUid(), "amount or imp_uid is missing"));
        }
        if (order.isVirtualAccount() && command.account() == null) {
            return new Plan.Refuse(RefundProblem.refundAccountRequired());
        }
        long cancelable = order.cancelable();
        if (cancelable <= 0) {
            return new Plan.Refuse(RefundProblem.alreadyFullyRefunded());
        }
        if (command.amount() != null && command.amount() > cancelable) {
            return new Plan.Refuse(
                    RefundProblem.amountExceedsCancelable(command.amount(), cancelable));
        }
        long amount = command.amount() != null ? command.amount() : cancelable;
        if (command.taxFree() != null && command.taxFree() > amount) {
            return new Plan.Refuse(
                    RefundProblem.invalidField(
                            "tax_free", "must not exceed the refund amount (" + amount + ")"));
        }
        if (command.vatAmount() != null && command.vatAmount() > amount) {
            return new Plan.Refuse(
                    RefundProblem.invalidField(
                            "vat_amount", "must not exceed the refund amount (" + amount + ")"));
        }
        return new Plan.Send(amount, order.cancelAmount(), cancelable);
    }

    // ---- 2. What ChaiPort shows: which cancel is whose -----------------------------------------

    /**
     * ChaiPort's cancels the row does not know yet ({@code fresh}, in ChaiPort's order), split into
     * the one that is {@code refund}'s (null if none) and the others: cancels nobody sent through
     * us (ChaiPort's console).
     */
    record Attribution(PgCancel ours, List<PgCancel> foreign, List<PgCancel> fresh) {}

    /**
     * Attributes ChaiPort's new cancels: to {@code refund} by its recorded cancellation id or
     * pg_tid first, else by amount and time (the first new cancel of exactly its amount made after
     * it was recorded); the rest are foreign. {@code refund} may be null (no refund of ours open).
     */
    @SuppressWarnings(
            "ReferenceEquality") // "the very entry claimed", even if ChaiPort listed an identical
    // one twice
    static Attribution attribute(Refund refund, Set<String> knownCancels, PgPayment pg) {
        List<PgCancel> fresh = new ArrayList<>();
        if (pg != null) {
            for (PgCancel cancel : pg.history()) {
                if (!knownCancels.contains(key(cancel))) {
                    fresh.add(cancel);
                }
            }
        }
        PgCancel ours =
                refund == null
                        ? null
                        : fresh.stream()
                                .filter(cancel -> isOf(refund, cancel))
                                .findFirst()
                                .orElse(null);
        if (ours == null && refund != null && refund.cancellation() == null) {
            ours =
                    fresh.stream()
                            .filter(cancel -> matchesByAmountAndTime(refund, cancel))
                            .findFirst()
                            .orElse(null);
        }
        PgCancel claimed = ours;
        return new Attribution(
                ours,
                fresh.stream().filter(cancel -> cancel != claimed).toList(),
                List.copyOf(fresh));
    }

    static String key(PgCancel cancel) {
        return cancel.cancellationId() != null ? cancel.cancellationId() : cancel.pgTid();
    }

    private static boolean isOf(Refund refund, PgCancel cancel) {
        Refund.Cancellation recorded = refund.cancellation();
        if (recorded == null) {
            return false;
        }
        return recorded.cancellationId() != null
                ? recorded.cancellationId().equals(cancel.cancellationId())
                : recorded.pgTid() != null && recorded.pgTid().equals(cancel.pgTid());
    }

    private static boolean matchesByAmountAndTime(Refund refund, PgCancel cancel) {
        Long amount = cancel.amountWon();
        if (amount == null || amount != refund.amount()) {
            return false;
        }
        return cancel.cancelledAt() == null
                || cancel.cancelledAt() == 0
                || refund.createdAt() == null
                || !Instant.ofEpochSecond(cancel.cancelledAt())
                        .isBefore(refund.createdAt().minus(CLOCK_SKEW));
    }

    // ---- 3. Was an open refund executed? -------------------------------------------------------

    enum Verdict {
        /** ChaiPort shows it executed. */
        EXECUTED,
        /** ChaiPort shows it not executed, and no send of it can still execute. */
        NOT_EXECUTED,
        /**
         * Not executed yet, but a send whose answer was lost is younger than the in-flight window.
         */
        IN_FLIGHT,
        /** ChaiPort could not be asked, or its answer has no (whole) cumulative figure. */
        UNREACHABLE,
        /**
         * ChaiPort's figure moved by something its history does not explain: a person must look.
         */
        CONFLICT;

        boolean settles() {
            return this == EXECUTED || this == NOT_EXECUTED;
        }
    }

    /**
     * Whether {@code refund} was executed, from ChaiPort's answer {@code pg} and the attribution of
     * its cancels. ChaiPort's history is the evidence, checked against its cumulative figure (which
     * counts every cancel): a cancel of ours the figure does not count, or a figure the history
     * does not account for, is a conflict, never a guess. An answer without history is judged by
     * the figure alone, which moved by exactly the refund's amount or not at all. "Not executed" is
     * believed only once every send whose answer was lost is older than {@code inFlightWindow}.
     */
    static Verdict judge(
            Refund refund,
            Attribution attribution,
            PgPayment pg,
            Instant now,
            Duration inFlightWindow) {
        if (pg == null || pg.cancelAmountWon() == null) {
            return Verdict.UNREACHABLE;
        }
        long figure = pg.cancelAmountWon();
        Long before = refund.cancelAmountBefore();
        if (attribution.ours() != null) {
            return before != null && figure < before + refund.amount()
                    ? Verdict.CONFLICT
                    : Verdict.EXECUTED;
        }
        if (pg.history().isEmpty()) {
            if (before != null && figure == before + refund.amount()) {
                return Verdict.EXECUTED;
            }
            if (before != null && figure != before) {
                return Verdict.CONFLICT;
            }
        } else if (!accountsFor(pg.history(), figure)) {
            // A cancel is missing from the history (perhaps ours): nothing can be concluded from
            // it.
            return Verdict.CONFLICT;
        }
        Instant lastUncertainSend = lastUncertainSend(refund);
        if (lastUncertainSend != null && lastUncertainSend.plus(inFlightWindow).isAfter(now)) {
            return Verdict.IN_FLIGHT;
        }
        return Verdict.NOT_EXECUTED;
    }

    private static boolean accountsFor(List<PgCancel> history, long figure) {
        long sum = 0;
        for (PgCancel cancel : history) {
            Long amount = cancel.amountWon();
            if (amount == null) {
                return false;
            }
            sum += amount;
        }
        return sum == figure;
    }

    /**
     * When the last send that may have reached ChaiPort without us hearing how it ended left, at
     * the latest. A send's {@code sent_at} is recorded just before it leaves (a token fetch may
     * come between), so its departure is bounded by the next record: the next send's {@code
     * sent_at}, or the refund's last update (made after the send, when its outcome was noted).
     */
    private static Instant lastUncertainSend(Refund refund) {
        List<Refund.Attempt> attempts = refund.attempts();
        Instant last = null;
        for (int i = 0; i < attempts.size(); i++) {
            Refund.Attempt attempt = attempts.get(i);
            if (attempt.outcome() == null || Outcomes.UNKNOWN.equals(attempt.outcome())) {
                Instant bound =
                        i + 1 < attempts.size() ? attempts.get(i + 1).sentAt() : refund.updatedAt();
                last = bound != null && bound.isAfter(attempt.sentAt()) ? bound : attempt.sentAt();
            }
        }
        return last;
    }

    // ---- 4. After a send, and after a look: what next ------------------------------------------

    sealed interface Next {
        /** Executed: record it as SUCCEEDED. */
        record Succeed() implements Next {}

        /** Certainly not executed: record it as FAILED and tell the caller why. */
        record Fail(Refund.Failure failure) implements Next {}

        /** Ask ChaiPort what happened before deciding. */
        record Ask() implements Next {}

        /**
         * ChaiPort showed the send not executed and it can no longer execute: send once more, same
         * checksum.
         */
        record Resend() implements Next {}

        /**
         * Cannot tell yet: UNKNOWN, 202; the next request, the webhook or the janitor settles it.
         */
        record StayUnknown() implements Next {}
    }

    /** The words the ledger records for each send's outcome. */
    static final class Outcomes {
        static final String EXECUTED = "executed";
        static final String REJECTED = "rejected";
        static final String NOT_SENT = "not_sent";
        static final String UNKNOWN = "unknown";

        private Outcomes() {}

        static String of(CancelOutcome outcome) {
            if (outcome instanceof CancelOutcome.Executed) {
                return EXECUTED;
            }
            if (outcome instanceof CancelOutcome.Rejected) {
                return REJECTED;
            }
            return outcome instanceof CancelOutcome.NotSent ? NOT_SENT : UNKNOWN;
        }
    }

    /**
     * Right after a send of {@code refund} (its attempts include this one and its outcome). A
     * refusal or a failure to send is the last word only when no earlier send of it may still
     * execute.
     */
    static Next afterSend(Refund refund, CancelOutcome outcome) {
        if (outcome instanceof CancelOutcome.Executed) {
            return new Next.Succeed();
        }
        if (outcome instanceof CancelOutcome.Unknown) {
            return new Next.Ask();
        }
        return hadUncertainSend(refund) ? new Next.Ask() : new Next.Fail(failure(outcome));
    }

    /**
     * After asking ChaiPort about a send that did not end in a clear answer. An unanswered send is
     * never concluded FAILED here: it is executed, sent once more (when ChaiPort shows it not
     * executed, it is past the in-flight window and sends remain), or left UNKNOWN.
     */
    static Next afterLook(Refund refund, CancelOutcome lastOutcome, Verdict verdict) {
        if (verdict == Verdict.EXECUTED) {
            return new Next.Succeed();
        }
        if (verdict != Verdict.NOT_EXECUTED) {
            return new Next.StayUnknown();
        }
        if (lastOutcome instanceof CancelOutcome.Unknown) {
            return refund.sends() < MAX_SENDS ? new Next.Resend() : new Next.StayUnknown();
        }
        return new Next.Fail(failure(lastOutcome));
    }

    /**
     * Settling an open refund later (next request, webhook, janitor): only a clear verdict moves
     * it.
     */
    static Refund.Failure failureWhenNotExecuted() {
        return new Refund.Failure(RefundProblem.NOT_EXECUTED, null, null);
    }

    private static boolean hadUncertainSend(Refund refund) {
        return lastUncertainSend(refund) != null;
    }

    private static Refund.Failure failure(CancelOutcome outcome) {
        if (outcome instanceof CancelOutcome.Rejected rejected) {
            return new Refund.Failure(
                    RefundProblem.PG_REJECTED, rejected.pgCode(), rejected.pgMessage());
        }
        return new Refund.Failure(RefundProblem.PG_UNAVAILABLE, null, null);
    }
}
