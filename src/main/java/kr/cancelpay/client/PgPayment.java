package kr.cancelpay.client;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The fields of ChaiPort's Payment object this service reads. */
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

    public List<PgCancel> history() {
        return cancelHistory == null ? List.of() : cancelHistory;
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
    }
}
