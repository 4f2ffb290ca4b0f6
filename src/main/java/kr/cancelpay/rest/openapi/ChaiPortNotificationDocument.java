package kr.cancelpay.rest.openapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documented shape of ChaiPort's notification to {@code POST /webhooks/chaiport}, as JSON or
 * form-encoded (see ../shared/reference/chaiport-v1.md). Only {@code merchant_uid} is read: it
 * names the order to re-query. The resource reads the JSON as a tree; this record exists for the
 * OpenAPI document only.
 */
@Schema(
        name = "ChaiPortNotification",
        description =
                "ChaiPort's payment notification; only merchant_uid is used, "
                        + "the order is synced from ChaiPort's answer, never from these fields. Other fields are ignored.")
public record ChaiPortNotificationDocument(
        @Schema(description = "ChaiPort's payment id", examples = "imp_1234567890")
                @JsonProperty("imp_uid")
                String impUid,
        @Schema(required = true, minLength = 1, maxLength = 40, examples = "order-1001")
                @JsonProperty("merchant_uid")
                String merchantUid,
        @Schema(
                        description =
                                "The payment's status at ChaiPort (ready, paid, failed, cancelled)",
                        examples = "cancelled")
                @JsonProperty("status")
                String status,
        @Schema(description = "Present when a cancellation was made", examples = "cancellation_1")
                @JsonProperty("cancellation_id")
                String cancellationId) {}
