package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import kr.cancelpay.model.Refund;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How a refund request ended when it did not end in a problem. */
public sealed interface RefundResult {

    String refundId();

    /** ChaiPort executed the refund (HTTP 200). */
    @RegisterForReflection
    @Schema(name = "Refunded", description = "ChaiPort executed the refund")
    record Refunded(
            @JsonProperty("merchant_uid") String merchantUid,
            @JsonProperty("imp_uid") String impUid,
            @JsonProperty("refund_id") String refundId,
            @JsonProperty("amount") long amount,
            @JsonProperty("cancel_amount") long cancelAmount,
            @JsonProperty("cancelable_amount") long cancelableAmount,
            @Schema(nullable = true) @JsonProperty("status") String status,
            @JsonProperty("cancellation") Cancellation cancellation)
            implements RefundResult {

        /**
         * The answer for a SUCCEEDED refund of a payment of {@code paidAmount}, live or replayed.
         */
        static Refunded of(Refund refund, long paidAmount) {
            Refund.Cancellation how = refund.cancellation();
            long cancelAmount =
                    how != null && how.paymentCancelAmount() != null
                            ? how.paymentCancelAmount()
                            : refund.cancelAmountBefore() == null
                                    ? refund.amount()
                                    : refund.cancelAmountBefore() + refund.amount();
            return new Refunded(
                    refund.merchantUid(),
                    refund.impUid(),
                    refund.id(),
                    paidAmount,
                    cancelAmount,
                    paidAmount - cancelAmount,
                    how == null ? null : how.paymentStatus(),
                    new Cancellation(
                            refund.amount(),
                            refund.reason(),
                            how == null || how.cancelledAt() == null
                                    ? null
                                    : how.cancelledAt().toString(),
                            how == null ? null : how.cancellationId(),
                            how == null ? null : how.pgTid(),
                            how == null ? null : how.receiptUrl()));
        }
    }

    /** This refund, as ChaiPort recorded it. */
    @RegisterForReflection
    @Schema(
            name = "ExecutedCancellation",
            description = "This refund, as ChaiPort recorded it; what ChaiPort left out is null")
    record Cancellation(
            @JsonProperty("amount") long amount,
            @Schema(nullable = true) @JsonProperty("reason") String reason,
            @Schema(nullable = true) @JsonProperty("cancelled_at") String cancelledAt,
            @Schema(nullable = true) @JsonProperty("cancellation_id") String cancellationId,
            @Schema(nullable = true) @JsonProperty("pg_tid") String pgTid,
            @Schema(nullable = true) @JsonProperty("receipt_url") String receiptUrl) {}

    /**
     * The cancel was sent but its outcome is unknown and ChaiPort could not tell yet (HTTP 202).
     * The refund is UNKNOWN in the ledger; the order takes no other refund until it is settled.
     */
    @RegisterForReflection
    @Schema(
            name = "RefundPending",
            description = "Sent to ChaiPort, outcome not known yet: poll the Location")
    record Pending(
            @JsonProperty("code") String code,
            @JsonProperty("merchant_uid") String merchantUid,
            @JsonProperty("refund_id") String refundId,
            @JsonProperty("amount") long amount,
            @JsonProperty("detail") String detail)
            implements RefundResult {

        public Pending(String merchantUid, String refundId, long amount) {
            this(
                    "REFUND_PENDING",
                    merchantUid,
                    refundId,
                    amount,
                    "The refund was sent to ChaiPort but its outcome is not known yet. Do not send a new request for it: "
                            + "poll GET /payments/"
                            + merchantUid
                            + "/refunds/"
                            + refundId
                            + " until it is SUCCEEDED or FAILED, or repeat this request with the same Idempotency-Key "
                            + "to get its current state.");
        }
    }
}
