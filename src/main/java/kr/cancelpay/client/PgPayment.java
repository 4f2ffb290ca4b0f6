package kr.cancelpay.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The fields of ChaiPort's Payment object this service reads. Any of them may be absent from an
 * answer (null); figures are read through {@link #cancelAmountWon()} and {@link
 * PgCancel#amountWon()}, which also answer null for a figure that is not a whole number of won: a
 * figure that cannot be read is a figure nothing may be concluded from.
 */
@RegisterForReflection
public record PgPayment(
        @JsonProperty("imp_uid") String impUid,
        @JsonProperty("merchant_uid") String merchantUid,
        @JsonProperty("pay_method") String payMethod,
        @JsonProperty("amount") BigDecimal amount,
        @JsonProperty("cancel_amount") BigDecimal cancelAmount,
        @JsonProperty("currency") String currency,
        @JsonProperty("status") String status,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("cancel_reason") String cancelReason,
        @JsonProperty("receipt_url") String receiptUrl,
        @JsonProperty("cancel_history") List<PgCancel> cancelHistory) {

    /** ChaiPort's cancels; empty when the answer has none ({@code null} entries are dropped). */
    public List<PgCancel> history() {
        return cancelHistory == null
                ? List.of()
                : cancelHistory.stream().filter(Objects::nonNull).toList();
    }

    /** The cumulative cancelled amount in won; null when absent or not a whole number. */
    public Long cancelAmountWon() {
        return wholeWon(cancelAmount);
    }

    /** {@code amount} in whole won, or null when absent or fractional (KRW has no minor unit). */
    static Long wholeWon(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        try {
            return amount.longValueExact();
        } catch (ArithmeticException notWholeOrTooLarge) {
            return null;
        }
    }

    /** One entry of {@code cancel_history}: one executed (partial) cancel. */
    @RegisterForReflection
    public record PgCancel(
            @JsonProperty("pg_tid") String pgTid,
            @JsonProperty("amount") BigDecimal amount,
            @JsonProperty("cancelled_at") Long cancelledAt,
            @JsonProperty("reason") String reason,
            @JsonProperty("cancellation_id") String cancellationId,
            @JsonProperty("receipt_url") String receiptUrl) {

        /** This cancel's amount in won; null when absent or not a whole number. */
        public Long amountWon() {
            return wholeWon(amount);
        }
    }
}
