package kr.cancelpay.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of a payment's {@code cancel_history}, as the PG records it.
 *
 * <p>The {@link JsonProperty} names make the snake_case wire/persistence form independent of any
 * ObjectMapper configuration, so other code can (de)serialise these records too.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxCancel(
        @JsonProperty("pg_tid") String pgTid,
        @JsonProperty("amount") long amount,
        @JsonProperty("cancelled_at") long cancelledAt,
        @JsonProperty("reason") String reason,
        @JsonProperty("cancellation_id") String cancellationId,
        @JsonProperty("receipt_url") String receiptUrl) {

    /** A new cancel with fresh random PG identifiers, as the PG would create it. */
    static SandboxCancel create(String impUid, long amount, long cancelledAt, String reason) {
        String cancellationId = RandomIds.cancellationId();
        return new SandboxCancel(RandomIds.pgTid(), amount, cancelledAt, reason, cancellationId,
                SandboxPayment.RECEIPT_BASE + impUid + "/cancel/" + cancellationId);
    }
}
