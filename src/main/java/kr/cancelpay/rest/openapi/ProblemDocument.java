package kr.cancelpay.rest.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * RFC 9457 problem with the service's stable {@code code}; documentation only (see ProblemMapper).
 */
@Schema(name = "Problem", description = "application/problem+json")
public record ProblemDocument(
        @Schema(examples = "urn:cancelpay:problem:already-fully-refunded") @JsonProperty("type")
                String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail,
        @Schema(
                        description = "Stable machine-readable code",
                        enumeration = {
                            "VALIDATION_FAILED",
                            "REFUND_ACCOUNT_REQUIRED",
                            "UNAUTHENTICATED",
                            "FORBIDDEN",
                            "PAYMENT_NOT_FOUND",
                            "ALREADY_FULLY_REFUNDED",
                            "AMOUNT_EXCEEDS_CANCELABLE",
                            "REFUND_IN_PROGRESS",
                            "PAYMENT_RECORD_INVALID",
                            "PG_REJECTED",
                            "PG_UNAVAILABLE",
                            "STORE_UNAVAILABLE",
                            "STORE_WRITE_REJECTED",
                            "WEBHOOK_RATE_LIMITED",
                            "WEBHOOK_NOT_SYNCED",
                            "PAYLOAD_TOO_LARGE",
                            "UNSUPPORTED_MEDIA_TYPE",
                            "IDEMPOTENCY_KEY_IN_USE",
                            "IDEMPOTENCY_KEY_REUSED",
                            "REFUND_NOT_EXECUTED",
                            "REFUND_NOT_FOUND",
                            "INTERNAL_ERROR"
                        })
                @JsonProperty("code")
                String code,
        @Schema(description = "VALIDATION_FAILED: each bad field") @JsonProperty("errors")
                List<FieldErrorDocument> errors,
        @Schema(description = "AMOUNT_EXCEEDS_CANCELABLE") @JsonProperty("cancelable_amount")
                Long cancelableAmount,
        @Schema(description = "PG_REJECTED: ChaiPort's code") @JsonProperty("pg_code")
                Integer pgCode,
        @Schema(description = "PG_REJECTED: ChaiPort's message") @JsonProperty("pg_message")
                String pgMessage,
        @Schema(description = "REFUND_NOT_EXECUTED: the refund that was settled as not executed")
                @JsonProperty("refund_id")
                String refundId) {

    @Schema(name = "FieldError")
    public record FieldErrorDocument(
            @JsonProperty("field") String field, @JsonProperty("message") String message) {}
}
