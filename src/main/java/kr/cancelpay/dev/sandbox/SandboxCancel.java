package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of a payment's {@code cancel_history}, as the PG records it.
 *
 * <p>The {@link JsonProperty} names make the snake_case wire/persistence form independent of any
 * ObjectMapper configuration, so other code can (de)serialise these records too.
 *
 * <p>{@code taxFree} is the tax-free part of this cancel. V1's cancel_history entry ({@code
 * PaymentCancelAnnotation}) has no such field: it lives in the persistence snapshot only (the API
 * view drops it, see {@link SandboxJson#paymentView}) and lets the payment derive its cumulative
 * cancelled tax-free amount from the history, as {@code cancel_amount} is derived from the amounts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxCancel(
        @JsonProperty("pg_tid") String pgTid,
        @JsonProperty("amount") long amount,
        @JsonProperty("cancelled_at") long cancelledAt,
        @JsonProperty("reason") String reason,
        @JsonProperty("cancellation_id") String cancellationId,
        @JsonProperty("receipt_url") String receiptUrl,
        @JsonProperty("tax_free") long taxFree) {

    /**
     * Explicit, so Jackson never picks the compatibility constructor below (snapshots lacking
     * tax_free load as 0).
     */
    @JsonCreator
    public SandboxCancel {}

    /** A cancel without a tax-free part (the shape before tax_free was tracked). */
    public SandboxCancel(
            String pgTid,
            long amount,
            long cancelledAt,
            String reason,
            String cancellationId,
            String receiptUrl) {
        this(pgTid, amount, cancelledAt, reason, cancellationId, receiptUrl, 0);
    }

    /**
     * A new cancel with fresh random PG identifiers and no tax-free part, as the PG would create
     * it.
     */
    static SandboxCancel create(String impUid, long amount, long cancelledAt, String reason) {
        return create(impUid, amount, 0, cancelledAt, reason);
    }

    /**
     * A new cancel with fresh random PG identifiers, {@code taxFree} of {@code amount} being
     * tax-free.
     */
    static SandboxCancel create(
            String impUid, long amount, long taxFree, long cancelledAt, String reason) {
        String cancellationId = RandomIds.cancellationId();
        return new SandboxCancel(
                RandomIds.pgTid(),
                amount,
                cancelledAt,
                reason,
                cancellationId,
                SandboxPayment.RECEIPT_BASE + impUid + "/cancel/" + cancellationId,
                taxFree);
    }
}
