package kr.cancelpay.service;

import java.util.UUID;

import kr.cancelpay.model.Payment;

/**
 * One refund request on its way through {@link RefundService}: what it asked, what it found and
 * how long ChaiPort took. Used by one request at a time (its Uni chain is sequential).
 */
final class RefundContext {

    final String refundId = UUID.randomUUID().toString();
    final RefundCommand command;

    /** The locked order, once locked. */
    Payment payment;
    /** The pay method ChaiPort told us for a row that did not keep one; stored with the pending record. */
    String learnedPayMethod;
    /** The amount sent to ChaiPort and the {@code cancel_amount} before it, once decided. */
    long amount;
    long cancelAmountBefore;

    /**
     * Set once a send of this refund (or an earlier pending refund of the order) had an unknown
     * outcome: from then on a refusal or a failure to send is looked into before being believed.
     */
    boolean outcomeUncertain;

    private long chaiPortNanos;

    RefundContext(RefundCommand command) {
        this.command = command;
    }

    String merchantUid() {
        return command.merchantUid();
    }

    /** ChaiPort's checksum: the cancelable balance as we recorded it before this refund. */
    long checksum() {
        return payment.amount - cancelAmountBefore;
    }

    void addChaiPortTime(long nanos) {
        chaiPortNanos += nanos;
    }

    long chaiPortMillis() {
        return chaiPortNanos / 1_000_000;
    }
}
