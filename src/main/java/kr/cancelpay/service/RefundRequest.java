package kr.cancelpay.service;

/**
 * One refund request as the flow carries it: its new refund id, what was asked, and who asked.
 *
 * @param idempotencyKey the caller's {@code Idempotency-Key}, or null
 * @param requestedBy the caller's JWT subject, or {@code anonymous} with auth off
 */
public record RefundRequest(
        String refundId, RefundCommand command, String idempotencyKey, String requestedBy) {

    public String merchantUid() {
        return command.merchantUid();
    }
}
