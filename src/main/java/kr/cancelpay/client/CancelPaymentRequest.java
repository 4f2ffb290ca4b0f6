package kr.cancelpay.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of {@code POST /payments/cancel}. {@code amount} is always explicit and positive: for
 * ChaiPort 0 or absent means "cancel everything left". {@code checksum} is the cancelable balance
 * as we recorded it, ChaiPort's guard against refunding twice. {@code tax_free} is required by
 * ChaiPort on partial cancels of payments with a tax-free part; {@code extra.requester} by Naver
 * Pay.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelPaymentRequest(
        @JsonProperty("imp_uid") String impUid,
        @JsonProperty("amount") long amount,
        @JsonProperty("checksum") long checksum,
        @JsonProperty("reason") String reason,
        @JsonProperty("refund_holder") String refundHolder,
        @JsonProperty("refund_bank") String refundBank,
        @JsonProperty("refund_account") String refundAccount,
        @JsonProperty("tax_free") Long taxFree,
        @JsonProperty("vat_amount") Long vatAmount,
        @JsonProperty("extra") Extra extra) {

    /** ChaiPort's {@code extra}: who asked for the cancel ({@code customer} or {@code admin}). */
    @RegisterForReflection
    public record Extra(@JsonProperty("requester") String requester) {}

    /** The refund account is personal data: keep it out of any log line. */
    @Override
    public String toString() {
        return "CancelPaymentRequest[imp_uid="
                + impUid
                + ", amount="
                + amount
                + ", checksum="
                + checksum
                + "]";
    }
}
