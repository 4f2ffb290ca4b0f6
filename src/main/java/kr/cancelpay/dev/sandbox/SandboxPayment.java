package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 * <p>Immutable: every change (a cancel) produces a new instance, so snapshots handed to tests and
 * to the persistence file can never be modified behind the sandbox's back. {@code cancelAmount} is
 * the cumulative refunded amount and always equals the sum of {@code cancelHistory}.
 *
 * <p>{@code taxFree} is the tax-free part of {@code amount} (면세금액, 0 for a fully taxable payment).
 * V1's Payment object has no such field, so it is kept in the persistence snapshot only (the API
 * view drops it); the sandbox needs it to check a cancel's {@code tax_free}. What was already
 * cancelled of it is derived from {@code cancelHistory}, like {@code cancelAmount}, so the two
 * cannot drift apart.
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
        @JsonProperty("cancel_history") List<SandboxCancel> cancelHistory,
        @JsonProperty("tax_free") long taxFree) {

    public static final String STATUS_READY = "ready";
    public static final String STATUS_PAID = "paid";
    public static final String STATUS_CANCELLED = "cancelled";
    public static final String STATUS_FAILED = "failed";

    /**
     * Receipts point at a reserved, unresolvable host: nobody should mistake them for real ones.
     */
    static final String RECEIPT_BASE = "https://sandbox.chaiport.invalid/receipts/";

    /**
     * Explicit, so Jackson never picks the compatibility constructor below (snapshots lacking
     * tax_free load as 0).
     */
    @JsonCreator
    public SandboxPayment {
        Objects.requireNonNull(impUid, "impUid");
        Objects.requireNonNull(status, "status");
        cancelHistory = cancelHistory == null ? List.of() : List.copyOf(cancelHistory);
    }

    /** A fully taxable payment (the shape before tax-free parts were tracked). */
    public SandboxPayment(
            String impUid,
            String merchantUid,
            String payMethod,
            String pgProvider,
            long amount,
            long cancelAmount,
            String currency,
            String status,
            long paidAt,
            long cancelledAt,
            String cancelReason,
            String receiptUrl,
            List<SandboxCancel> cancelHistory) {
        this(
                impUid,
                merchantUid,
                payMethod,
                pgProvider,
                amount,
                cancelAmount,
                currency,
                status,
                paidAt,
                cancelledAt,
                cancelReason,
                receiptUrl,
                cancelHistory,
                0);
    }

    /** A freshly paid KRW payment through KG Inicis, paid now (system clock), nothing refunded. */
    public static SandboxPayment paid(
            String impUid, String merchantUid, String payMethod, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        return new SandboxPayment(
                impUid,
                merchantUid,
                payMethod,
                "html5_inicis",
                amount,
                0,
                "KRW",
                STATUS_PAID,
                Instant.now().getEpochSecond(),
                0,
                null,
                RECEIPT_BASE + impUid,
                List.of(),
                0);
    }

    /**
     * Seeding helper: a copy whose tax-free part (면세금액) is {@code taxFree}, which must lie between
     * what was already cancelled of it and {@code amount}.
     */
    public SandboxPayment withTaxFree(long taxFree) {
        if (taxFree < cancelledTaxFree() || taxFree > amount) {
            throw new IllegalArgumentException(
                    "tax-free amount "
                            + taxFree
                            + " must be in "
                            + cancelledTaxFree()
                            + ".."
                            + amount);
        }
        return new SandboxPayment(
                impUid,
                merchantUid,
                payMethod,
                pgProvider,
                amount,
                cancelAmount,
                currency,
                status,
                paidAt,
                cancelledAt,
                cancelReason,
                receiptUrl,
                cancelHistory,
                taxFree);
    }

    /**
     * Seeding helper: a copy paid through another PG, e.g. {@code "naverpay"} (whose cancels need
     * extra.requester).
     */
    public SandboxPayment withPgProvider(String pgProvider) {
        Objects.requireNonNull(pgProvider, "pgProvider");
        return new SandboxPayment(
                impUid,
                merchantUid,
                payMethod,
                pgProvider,
                amount,
                cancelAmount,
                currency,
                status,
                paidAt,
                cancelledAt,
                cancelReason,
                receiptUrl,
                cancelHistory,
                taxFree);
    }

    /**
     * Seeding helper for a payment that was already (partially) refunded before the test starts:
     * records ONE more cancel of {@code cancelAmount} (not a new total), dated now.
     */
    public SandboxPayment withCancelled(long cancelAmount, String reason) {
        return withCancelled(cancelAmount, 0, reason);
    }

    /**
     * Like {@link #withCancelled(long, String)}, {@code taxFree} of the cancelled amount being
     * tax-free (at most what is left of the payment's tax-free part).
     */
    public SandboxPayment withCancelled(long cancelAmount, long taxFree, String reason) {
        if (cancelAmount <= 0 || cancelAmount > remainingAmount()) {
            throw new IllegalArgumentException(
                    "cancel amount " + cancelAmount + " must be in 1.." + remainingAmount());
        }
        if (taxFree < 0 || taxFree > Math.min(cancelAmount, remainingTaxFree())) {
            throw new IllegalArgumentException(
                    "cancelled tax-free amount "
                            + taxFree
                            + " must be in 0.."
                            + Math.min(cancelAmount, remainingTaxFree()));
        }
        return withCancel(
                SandboxCancel.create(
                        impUid, cancelAmount, taxFree, Instant.now().getEpochSecond(), reason));
    }

    /** What can still be refunded: {@code amount - cancel_amount}. */
    @JsonIgnore
    public long remainingAmount() {
        return amount - cancelAmount;
    }

    /**
     * How much of the tax-free part was cancelled so far: the sum of the history's tax-free parts.
     */
    @JsonIgnore
    public long cancelledTaxFree() {
        return cancelHistory.stream().mapToLong(SandboxCancel::taxFree).sum();
    }

    /** What can still be cancelled of the tax-free part: {@code taxFree - cancelledTaxFree()}. */
    @JsonIgnore
    public long remainingTaxFree() {
        return taxFree - cancelledTaxFree();
    }

    /** Applies one executed cancel: cumulative amount, history, and status once nothing is left. */
    SandboxPayment withCancel(SandboxCancel cancel) {
        long newCancelAmount = cancelAmount + cancel.amount();
        List<SandboxCancel> history = new ArrayList<>(cancelHistory);
        history.add(cancel);
        // A partial cancel keeps "paid" (as integrations observe); only a full refund flips the
        // status.
        String newStatus = newCancelAmount >= amount ? STATUS_CANCELLED : status;
        return new SandboxPayment(
                impUid,
                merchantUid,
                payMethod,
                pgProvider,
                amount,
                newCancelAmount,
                currency,
                newStatus,
                paidAt,
                cancel.cancelledAt(),
                cancel.reason(),
                receiptUrl,
                history,
                taxFree);
    }
}
