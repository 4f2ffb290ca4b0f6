package kr.cancelpay.model;

import java.util.Set;

/**
 * Where a refund of the ledger stands (after Stripe's Refund and Kill Bill's payment transactions).
 *
 * <pre>
 * PENDING ──► SUCCEEDED | FAILED | UNKNOWN
 * UNKNOWN ──► SUCCEEDED | FAILED | UNKNOWN (one more send recorded)
 * </pre>
 *
 * Never backwards: a terminal refund stays as it is.
 */
public enum RefundStatus {

    /** Recorded; about to be sent to ChaiPort or being sent. */
    PENDING,
    /** ChaiPort executed it. */
    SUCCEEDED,
    /**
     * Not executed: refused by ChaiPort, never sent, or shown not executed after an unknown
     * outcome.
     */
    FAILED,
    /** Sent, but whether ChaiPort executed it is not known yet (the 202 case). */
    UNKNOWN;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }

    public boolean canMoveTo(RefundStatus next) {
        return switch (this) {
            case PENDING -> Set.of(SUCCEEDED, FAILED, UNKNOWN).contains(next);
            case UNKNOWN -> Set.of(SUCCEEDED, FAILED, UNKNOWN).contains(next);
            case SUCCEEDED, FAILED -> false;
        };
    }
}
