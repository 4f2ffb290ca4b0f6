package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import kr.cancelpay.model.Refund;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One refund of the ledger as callers see it ({@code GET
 * /payments/{merchant_uid}/refunds/{refund_id}} and the {@code refunds} of a payment). Absent
 * fields are left out. The refund account is shown masked, as stored.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
        name = "RefundView",
        description = "A refund of the ledger; absent fields are left out, never null")
public record RefundView(
        @JsonProperty("refund_id") String refundId,
        @JsonProperty("merchant_uid") String merchantUid,
        @JsonProperty("imp_uid") String impUid,
        @JsonProperty("status") String status,
        @JsonProperty("source") String source,
        @JsonProperty("amount") long amount,
        @JsonProperty("reason") String reason,
        @JsonProperty("tax_free") Long taxFree,
        @JsonProperty("vat_amount") Long vatAmount,
        @JsonProperty("requester") String requester,
        @JsonProperty("refund_account") Account refundAccount,
        @JsonProperty("cancellation") Cancellation cancellation,
        @JsonProperty("failure") Failure failure,
        @JsonProperty("attempts") List<Attempt> attempts,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("settled_at") String settledAt) {

    @RegisterForReflection
    @Schema(name = "MaskedRefundAccount")
    public record Account(
            @JsonProperty("bank") String bank,
            @JsonProperty("holder_initial") String holderInitial,
            @JsonProperty("last4") String last4) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RefundCancellation")
    public record Cancellation(
            @JsonProperty("cancellation_id") String cancellationId,
            @JsonProperty("pg_tid") String pgTid,
            @JsonProperty("receipt_url") String receiptUrl,
            @JsonProperty("cancelled_at") String cancelledAt) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RefundFailure")
    public record Failure(
            @JsonProperty("code") String code,
            @JsonProperty("pg_code") Integer pgCode,
            @JsonProperty("pg_message") String pgMessage) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RefundAttempt")
    public record Attempt(
            @JsonProperty("number") int number,
            @JsonProperty("sent_at") String sentAt,
            @JsonProperty("outcome") String outcome) {}

    static RefundView of(Refund refund) {
        Refund.MaskedAccount account = refund.account();
        Refund.Cancellation cancellation = refund.cancellation();
        Refund.Failure failure = refund.failure();
        return new RefundView(
                refund.id(),
                refund.merchantUid(),
                refund.impUid(),
                refund.status().name(),
                refund.source(),
                refund.amount(),
                refund.reason(),
                refund.taxFree(),
                refund.vatAmount(),
                refund.requester(),
                account == null
                        ? null
                        : new Account(account.bank(), account.holderInitial(), account.last4()),
                cancellation == null
                        ? null
                        : new Cancellation(
                                cancellation.cancellationId(),
                                cancellation.pgTid(),
                                cancellation.receiptUrl(),
                                iso(cancellation.cancelledAt())),
                failure == null
                        ? null
                        : new Failure(failure.code(), failure.pgCode(), failure.pgMessage()),
                refund.attempts().stream()
                        .map(
                                attempt ->
                                        new Attempt(
                                                attempt.number(),
                                                iso(attempt.sentAt()),
                                                attempt.outcome()))
                        .toList(),
                refund.requestedBy(),
                iso(refund.createdAt()),
                iso(refund.updatedAt()),
                iso(refund.settledAt()));
    }

    /** In milliseconds, as MongoDB keeps them: a live answer reads like its replay and its poll. */
    private static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
