package kr.cancelpay.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A payment as the PG knows it: the sandbox's single source of truth about money.
 *
 * <p>Immutable: every change (a cancel) produces a new instance, so snapshots handed to tests and to
 * the persistence file can never be modified behind the sandbox's back. {@code cancelAmount} is the
 * cumulative refunded amount and always equals the sum of {@code cancelHistory}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxPayment(
        @JsonProperty("imp_uid") String impUid,
        @JsonProperty("merchant_uid") String merchantUid,
        @JsonProperty("pay_method") String payMethod,
        @JsonProperty("pg_provider") String pgProvider,
        @JsonProperty("amount") long amount,
        @JsonProperty("cancel_amount") long cancelAmount,
        @JsonProperty("currency") String currency,
        @JsonProperty("status") String status,
        @JsonProperty("paid_at") long paidAt,
        @JsonProperty("cancelled_at") long cancelledAt,
        @JsonProperty("cancel_reason") String cancelReason,
        @JsonProperty("receipt_url") String receiptUrl,
        @JsonProperty("cancel_history") List<SandboxCancel> cancelHistory) {

    public static final String STATUS_READY = "ready";
    public static final String STATUS_PAID = "paid";
    public static final String STATUS_CANCELLED = "cancelled";
    public static final String STATUS_FAILED = "failed";

    /** Receipts point at a reserved, unresolvable host: nobody should mistake them for real ones. */
    static final String RECEIPT_BASE = "https://sandbox.chaiport.invalid/receipts/";

    public SandboxPayment {
        Objects.requireNonNull(impUid, "impUid");
        Objects.requireNonNull(status, "status");
        cancelHistory = cancelHistory == null ? List.of() : List.copyOf(cancelHistory);
    }

    /** A freshly paid KRW payment through KG Inicis, paid now (system clock), nothing refunded. */
    public static SandboxPayment paid(String impUid, String merchantUid, String payMethod, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        return new SandboxPayment(impUid, merchantUid, payMethod, "html5_inicis", amount, 0, "KRW",
                STATUS_PAID, Instant.now().getEpochSecond(), 0, null, RECEIPT_BASE + impUid, List.of());
    }

    /**
     * Seeding helper for a payment that was already (partially) refunded before the test starts:
     * records ONE more cancel of {@code cancelAmount} (not a new total), dated now.
     */
    public SandboxPayment withCancelled(long cancelAmount, String reason) {
        if (cancelAmount <= 0 || cancelAmount > remainingAmount()) {
            throw new IllegalArgumentException(
                    "cancel amount " + cancelAmount + " must be in 1.." + remainingAmount());
        }
        return withCancel(SandboxCancel.create(impUid, cancelAmount, Instant.now().getEpochSecond(), reason));
    }

    /** What can still be refunded: {@code amount - cancel_amount}. */
    @JsonIgnore
    public long remainingAmount() {
        return amount - cancelAmount;
    }

    /** Applies one executed cancel: cumulative amount, history, and status once nothing is left. */
    SandboxPayment withCancel(SandboxCancel cancel) {
        long newCancelAmount = cancelAmount + cancel.amount();
        List<SandboxCancel> history = new ArrayList<>(cancelHistory);
        history.add(cancel);
        // A partial cancel keeps "paid" (as integrations observe); only a full refund flips the status.
        String newStatus = newCancelAmount >= amount ? STATUS_CANCELLED : status;
        return new SandboxPayment(impUid, merchantUid, payMethod, pgProvider, amount, newCancelAmount,
                currency, newStatus, paidAt, cancel.cancelledAt(), cancel.reason(), receiptUrl, history);
    }
}
