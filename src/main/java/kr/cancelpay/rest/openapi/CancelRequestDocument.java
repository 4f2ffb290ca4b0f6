package kr.cancelpay.rest.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documented shape of {@code POST /payments/cancel}'s body. The resource reads the body as a
 * JSON tree to report every bad field at once; this record exists for the OpenAPI document only.
 */
@Schema(name = "CancelRequest")
public record CancelRequestDocument(
        @Schema(required = true, minLength = 1, maxLength = 40, examples = "order-1001")
                @JsonProperty("merchant_uid")
                String merchantUid,
        @Schema(
                        description =
                                "Whole won, > 0 and <= what is still cancelable. Absent: refund everything still cancelable.",
                        minimum = "1",
                        examples = "3000")
                @JsonProperty("cancel_request_amount")
                Long cancelRequestAmount,
        @Schema(required = true, minLength = 1, maxLength = 256, examples = "단순변심")
                @JsonProperty("reason")
                String reason,
        @Schema(
                        maxLength = 16,
                        description =
                                "Required with refund_bank and refund_account for vbank payments")
                @JsonProperty("refund_holder")
                String refundHolder,
        @Schema(maxLength = 4, description = "The PG's bank code, e.g. 04 (KG Inicis, KB국민)")
                @JsonProperty("refund_bank")
                String refundBank,
        @Schema(maxLength = 16) @JsonProperty("refund_account") String refundAccount,
        @Schema(
                        description =
                                "Tax-free part of this refund, whole won, 0..the refund amount. ChaiPort requires it on partial "
                                        + "refunds of payments with a tax-free part",
                        minimum = "0",
                        examples = "0")
                @JsonProperty("tax_free")
                Long taxFree,
        @Schema(
                        description = "VAT part of this refund, whole won, 0..the refund amount",
                        minimum = "0")
                @JsonProperty("vat_amount")
                Long vatAmount,
        @Schema(
                        description =
                                "Who asked for the refund, sent as ChaiPort's extra.requester (Naver Pay requires it)",
                        enumeration = {"customer", "admin"})
                @JsonProperty("requester")
                String requester) {}
