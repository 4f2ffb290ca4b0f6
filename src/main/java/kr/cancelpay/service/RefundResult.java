package kr.cancelpay.service;

/**
 * How a refund request ended when it did not end in a problem; both answer a {@link RefundAnswer}.
 */
public sealed interface RefundResult {

    RefundAnswer answer();

    /** ChaiPort executed the refund (HTTP 200): the refund is SUCCEEDED. */
    record Refunded(RefundAnswer answer) implements RefundResult {}

    /**
     * The cancel was sent but its outcome is unknown and ChaiPort could not tell yet (HTTP 202).
     * The refund is UNKNOWN (or PENDING) in the ledger; the order takes no other refund until it is
     * settled.
     */
    record Pending(RefundAnswer answer) implements RefundResult {}
}
