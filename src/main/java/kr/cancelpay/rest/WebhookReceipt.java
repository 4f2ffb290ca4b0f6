package kr.cancelpay.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The webhook's whole answer: the notification was taken. Deliberately nothing else, whatever the
 * order: the sender is anonymous, so no payment data, and no hint of whether the order exists.
 */
@RegisterForReflection
@Schema(
        name = "WebhookReceipt",
        description = "The notification was taken; never anything about the order")
public record WebhookReceipt(
        @Schema(required = true, description = "Always true") @JsonProperty("received")
                boolean received) {

    static final WebhookReceipt RECEIVED = new WebhookReceipt(true);
}
