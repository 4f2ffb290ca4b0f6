package kr.cancelpay.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One refund of the ledger ({@code refunds} collection, {@code _id} = {@link #id()}): what was
 * asked, what was sent to ChaiPort and when, and how it ended. Immutable: every change is a new
 * value with {@link #version()} one higher, written by one conditional replace on the previous
 * {@link #stateKey()}, so two writers can never both move the same refund.
 *
 * @param source {@code api} for refunds this service sent, {@code chaiport} for cancels found at
 *     ChaiPort that nobody sent through us (ChaiPort's console, another system)
 * @param checksum what was sent as ChaiPort's checksum: the cancelable balance before this refund
 * @param cancelAmountBefore ChaiPort's cumulative {@code cancel_amount} before this refund
 * @param requestedBy who asked: the caller's JWT subject, or {@code anonymous} with auth off
 */
public record Refund(
        String id,
        int version,
        RefundStatus status,
        String source,
        String merchantUid,
        String impUid,
        long amount,
        String reason,
        Long checksum,
        Long cancelAmountBefore,
        Long taxFree,
        Long vatAmount,
        String requester,
        MaskedAccount account,
        List<Attempt> attempts,
        Cancellation cancellation,
        Failure failure,
        String idempotencyKey,
        String requestedBy,
        Instant createdAt,
        Instant updatedAt,
        Instant settledAt) {

    public static final String SOURCE_API = "api";
    public static final String SOURCE_CHAIPORT = "chaiport";

    private static final SecureRandom RANDOM = new SecureRandom();

    public Refund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A new opaque refund id: {@code rf_} and 26 URL-safe characters (156 random bits). */
    public static String newId() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return "rf_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 26);
    }

    /**
     * The refund as recorded just before its first send: {@code PENDING} with attempt 1. The send
     * time is recorded before the send leaves, so "how long ago was the last send" can only be
     * overestimated by a crash, never underestimated.
     */
    public static Refund pending(
            String id,
            RefundRequestFacts facts,
            long amount,
            long cancelAmountBefore,
            long checksum,
            Instant now) {
        return new Refund(
                id,
                1,
                RefundStatus.PENDING,
                SOURCE_API,
                facts.merchantUid(),
                facts.impUid(),
                amount,
                facts.reason(),
                checksum,
                cancelAmountBefore,
                facts.taxFree(),
                facts.vatAmount(),
                facts.requester(),
                facts.account(),
                List.of(new Attempt(1, now, null)),
                null,
                null,
                facts.idempotencyKey(),
                facts.requestedBy(),
                now,
                now,
                null);
    }

    /**
     * A cancel ChaiPort shows that no refund of ours accounts for: recorded as it happened there.
     */
    public static Refund foundAtChaiPort(
            String merchantUid,
            String impUid,
            long amount,
            String reason,
            Cancellation cancellation,
            Instant now) {
        String key =
                cancellation.cancellationId() != null
                        ? cancellation.cancellationId()
                        : cancellation.pgTid();
        return new Refund(
                "rf_pg_" + key,
                1,
                RefundStatus.SUCCEEDED,
                SOURCE_CHAIPORT,
                merchantUid,
                impUid,
                amount,
                reason,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                cancellation,
                null,
                null,
                null,
                now,
                now,
                now);
    }

    /** What a conditional write of the next version must find: this id at this version. */
    public String stateKey() {
        return stateKey(id, version);
    }

    public static String stateKey(String id, int version) {
        return id + "#" + version;
    }

    public boolean isOpen() {
        return !status.isTerminal();
    }

    /** When the last send left (or was about to leave); null for a refund never sent by us. */
    public Instant lastSentAt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).sentAt();
    }

    public int sends() {
        return attempts.size();
    }

    /**
     * The last send's answer, as far as the money is concerned ({@code executed}, {@code unknown},
     * ...). Not a transition of its own: it is written with the transition that follows it.
     */
    public Refund withLastOutcome(String outcome, Instant now) {
        List<Attempt> updated = new ArrayList<>(attempts);
        Attempt last = updated.remove(updated.size() - 1);
        updated.add(new Attempt(last.number(), last.sentAt(), outcome));
        // The same version: a note on the send that the next transition writes along with it.
        return new Refund(
                id,
                version,
                status,
                source,
                merchantUid,
                impUid,
                amount,
                reason,
                checksum,
                cancelAmountBefore,
                taxFree,
                vatAmount,
                requester,
                account,
                updated,
                cancellation,
                failure,
                idempotencyKey,
                requestedBy,
                createdAt,
                now,
                settledAt);
    }

    /** ChaiPort executed it. */
    public Refund succeeded(Cancellation how, Instant now) {
        return next(RefundStatus.SUCCEEDED, attempts, how, null, now, now);
    }

    /**
     * One of ours that SUCCEEDED, recorded from answers that never showed which of ChaiPort's
     * cancels it was: its cancel is identified later, by amount, before anything is taken for
     * someone else's.
     */
    public boolean isUnidentifiedSuccess() {
        return status == RefundStatus.SUCCEEDED
                && SOURCE_API.equals(source)
                && (cancellation == null
                        || (cancellation.cancellationId() == null && cancellation.pgTid() == null));
    }

    /** The same SUCCEEDED refund, now knowing its cancel at ChaiPort (not a change of status). */
    public Refund identified(Cancellation cancel, Instant now) {
        if (!isUnidentifiedSuccess()) {
            throw new IllegalStateException(
                    "refund " + id + " is identified already or not SUCCEEDED");
        }
        Cancellation known =
                cancellation == null
                        ? cancel
                        : new Cancellation(
                                cancel.cancellationId(),
                                cancel.pgTid(),
                                cancel.receiptUrl(),
                                cancel.cancelledAt() != null
                                        ? cancel.cancelledAt()
                                        : cancellation.cancelledAt(),
                                cancellation.paymentCancelAmount(),
                                cancellation.paymentStatus());
        return new Refund(
                id,
                version + 1,
                status,
                source,
                merchantUid,
                impUid,
                amount,
                reason,
                checksum,
                cancelAmountBefore,
                taxFree,
                vatAmount,
                requester,
                account,
                attempts,
                known,
                failure,
                idempotencyKey,
                requestedBy,
                createdAt,
                now,
                settledAt);
    }

    /** Not executed, for good. */
    public Refund failed(Failure why, Instant now) {
        return next(RefundStatus.FAILED, attempts, null, why, now, now);
    }

    /** Sent, outcome not known yet. */
    public Refund unknown(Instant now) {
        return next(RefundStatus.UNKNOWN, attempts, null, null, now, null);
    }

    /** One more send, recorded before it leaves. */
    public Refund resent(Instant now) {
        List<Attempt> updated = new ArrayList<>(attempts);
        updated.add(new Attempt(attempts.size() + 1, now, null));
        return next(RefundStatus.UNKNOWN, updated, null, null, now, null);
    }

    private Refund next(
            RefundStatus nextStatus,
            List<Attempt> nextAttempts,
            Cancellation nextCancellation,
            Failure nextFailure,
            Instant now,
            Instant nextSettledAt) {
        if (status.isTerminal()) {
            throw new IllegalStateException("refund " + id + " is " + status + " for good");
        }
        if (nextStatus != status && !status.canMoveTo(nextStatus)) {
            throw new IllegalStateException(
                    "refund " + id + " cannot move from " + status + " to " + nextStatus);
        }
        return new Refund(
                id,
                version + 1,
                nextStatus,
                source,
                merchantUid,
                impUid,
                amount,
                reason,
                checksum,
                cancelAmountBefore,
                taxFree,
                vatAmount,
                requester,
                account,
                nextAttempts,
                nextCancellation,
                nextFailure,
                idempotencyKey,
                requestedBy,
                createdAt,
                now,
                nextSettledAt);
    }

    /** One send to ChaiPort: when it left and what came of it (null while unanswered). */
    public record Attempt(int number, Instant sentAt, String outcome) {}

    /**
     * How ChaiPort recorded the executed cancel, and the payment's figures right after it.
     *
     * @param paymentCancelAmount ChaiPort's cumulative cancel_amount when this refund was settled
     */
    public record Cancellation(
            String cancellationId,
            String pgTid,
            String receiptUrl,
            Instant cancelledAt,
            Long paymentCancelAmount,
            String paymentStatus) {}

    /**
     * Why it was not executed: our problem code, and ChaiPort's code and message when it refused.
     */
    public record Failure(String code, Integer pgCode, String pgMessage) {}

    /**
     * The refund account as the ledger keeps it: bank code, the holder's first character and the
     * last four digits. The full number is never stored.
     */
    public record MaskedAccount(String bank, String holderInitial, String last4) {

        public static MaskedAccount of(String bank, String holder, String number) {
            String initial =
                    holder == null || holder.isEmpty()
                            ? null
                            : holder.substring(0, holder.offsetByCodePoints(0, 1));
            String digits =
                    number == null
                            ? ""
                            : number.length() <= 4 ? number : number.substring(number.length() - 4);
            return new MaskedAccount(bank, initial, digits);
        }
    }

    /** What the request said, as the ledger keeps it (no full account number). */
    public record RefundRequestFacts(
            String merchantUid,
            String impUid,
            String reason,
            Long taxFree,
            Long vatAmount,
            String requester,
            MaskedAccount account,
            String idempotencyKey,
            String requestedBy) {}
}
