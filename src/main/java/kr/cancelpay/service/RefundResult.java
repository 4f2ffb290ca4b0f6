package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a refund request ended when it did not end in a problem. */
public sealed interface RefundResult {

    /** ChaiPort executed the refund (HTTP 200). */
    @RegisterForReflection
    record Refunded(
            @JsonProperty("merchant_uid") String merchantUid,
            @JsonProperty("imp_uid") String impUid,
            @JsonProperty("refund_id") String refundId,
            @JsonProperty("amount") long amount,
            @JsonProperty("cancel_amount") long cancelAmount,
            @JsonProperty("cancelable_amount") long cancelableAmount,
            @JsonProperty("status") String status,
            @JsonProperty("cancellation") Cancellation cancellation) implements RefundResult {
    }

    /** This refund, as ChaiPort recorded it. */
    @RegisterForReflection
    record Cancellation(
            @JsonProperty("amount") long amount,
            @JsonProperty("reason") String reason,
            @JsonProperty("cancelled_at") String cancelledAt,
            @JsonProperty("cancellation_id") String cancellationId,
            @JsonProperty("pg_tid") String pgTid,
            @JsonProperty("receipt_url") String receiptUrl) {
    }

    /**
     * The cancel was sent but its outcome is unknown and ChaiPort could not tell yet (HTTP 202).
     * The order stays blocked for new cancels until a later request settles it.
     */
    @RegisterForReflection
    record Pending(
            @JsonProperty("code") String code,
            @JsonProperty("merchant_uid") String merchantUid,
            @JsonProperty("refund_id") String refundId,
            @JsonProperty("amount") long amount,
            @JsonProperty("detail") String detail) implements RefundResult {

        public Pending(String merchantUid, String refundId, long amount) {
            this("REFUND_PENDING", merchantUid, refundId, amount,
                    "The refund was sent to ChaiPort but its outcome is not known yet. Do not send it again: "
                            + "the next request for this order asks ChaiPort first and settles it.");
        }
    }
}
