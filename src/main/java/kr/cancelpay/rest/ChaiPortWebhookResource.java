package kr.cancelpay.rest;

import static kr.cancelpay.rest.ProblemMapper.PROBLEM_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import kr.cancelpay.rest.openapi.ChaiPortNotificationDocument;
import kr.cancelpay.rest.openapi.ProblemDocument;
import kr.cancelpay.rest.openapi.ProblemExamples;
import kr.cancelpay.service.PaymentSyncService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

/**
 * {@code POST /webhooks/chaiport}: ChaiPort's notification ({@code imp_uid, merchant_uid, status}).
 * Unauthenticated by nature, so its body is only a hint of WHICH order to look at: the row is
 * synced from what ChaiPort answers when asked, never from the notification, and the answer says
 * nothing but {@code {"received":true}}, whatever the order (known or not).
 *
 * <p>When the order could not be synced now (a refund holds it, ChaiPort cannot be asked, a
 * refund's outcome is still unknown) the answer is 503 WEBHOOK_NOT_SYNCED, not 200: ChaiPort
 * resends a notification that was not acknowledged with a 2xx, and for a cancel made in ChaiPort's
 * console its resend is the only thing that would bring it into the ledger (the janitor only
 * revisits orders with a refund of ours open). Beyond the limit on webhook-driven ChaiPort lookups:
 * 429.
 */
@Path("/webhooks/chaiport")
@PermitAll
@Tag(
        name = "webhooks",
        description =
                "Notifications from ChaiPort (unauthenticated; answered without payment data)")
public class ChaiPortWebhookResource {

    private final PaymentSyncService payments;

    ChaiPortWebhookResource(PaymentSyncService payments) {
        this.payments = payments;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @Operation(
            operationId = "receiveChaiPortNotification",
            summary =
                    "ChaiPort's payment notification (open: its body only says which order to re-query)",
            description =
                    "The order is synced from ChaiPort's answer to GET /payments/{imp_uid}, never from the body. "
                            + "The answer carries no payment data and is the same for known and unknown orders. Non-2xx answers "
                            + "ask ChaiPort to send the notification again.")
    @SecurityRequirements // open: security: [] (a notification carries no token)
    @RequestBody(
            required = true,
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ChaiPortNotificationDocument.class),
                        examples =
                                @ExampleObject(
                                        name = "cancelled",
                                        value =
                                                "{\"imp_uid\":\"imp_1234567890\",\"merchant_uid\":\"order-1001\",\"status\":\"cancelled\",\"cancellation_id\":\"cancellation_1\"}")),
                @Content(
                        mediaType = MediaType.APPLICATION_FORM_URLENCODED,
                        schema = @Schema(implementation = ChaiPortNotificationDocument.class))
            })
    @APIResponse(
            responseCode = "200",
            description = "Taken: the order (if it is ours) is in line with ChaiPort",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = WebhookReceipt.class),
                            examples =
                                    @ExampleObject(
                                            name = "received",
                                            value = "{\"received\":true}")))
    @APIResponse(
            responseCode = "400",
            description = "VALIDATION_FAILED: no or an oversized merchant_uid",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "VALIDATION_FAILED",
                                            value = ProblemExamples.VALIDATION_FAILED)))
    @APIResponse(
            responseCode = "413",
            description = "PAYLOAD_TOO_LARGE: the body exceeds 64 KiB",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "PAYLOAD_TOO_LARGE",
                                            value = ProblemExamples.PAYLOAD_TOO_LARGE)))
    @APIResponse(
            responseCode = "415",
            description = "UNSUPPORTED_MEDIA_TYPE: neither JSON nor form-encoded",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "UNSUPPORTED_MEDIA_TYPE",
                                            value = ProblemExamples.UNSUPPORTED_MEDIA_TYPE)))
    @APIResponse(
            responseCode = "429",
            description =
                    "WEBHOOK_RATE_LIMITED: too many webhook-driven ChaiPort lookups now; "
                            + "nothing was done, send it again after Retry-After",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "Seconds",
                            schema = @Schema(type = SchemaType.INTEGER)),
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "WEBHOOK_RATE_LIMITED",
                                            value = ProblemExamples.WEBHOOK_RATE_LIMITED)))
    @APIResponse(
            responseCode = "503",
            description =
                    "WEBHOOK_NOT_SYNCED (the order could not be synced now) or "
                            + "STORE_UNAVAILABLE; send it again after Retry-After",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "Seconds",
                            schema = @Schema(type = SchemaType.INTEGER)),
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "WEBHOOK_NOT_SYNCED",
                                        value = ProblemExamples.WEBHOOK_NOT_SYNCED),
                                @ExampleObject(
                                        name = "STORE_UNAVAILABLE",
                                        value = ProblemExamples.STORE_UNAVAILABLE)
                            }))
    public Uni<WebhookReceipt> notifyJson(JsonNode body) {
        JsonNode merchantUid = body == null ? null : body.get("merchant_uid");
        return sync(
                merchantUid != null && merchantUid.isTextual() ? merchantUid.textValue() : null);
    }

    /** ChaiPort may also post the notification as a form. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @Operation(
            operationId = "receiveChaiPortNotification",
            summary = "The same notification, form-encoded")
    @SecurityRequirements
    // Its body is documented as ChaiPortNotification by openapi/WebhookFormBodyFilter (SmallRye
    // documents @RestForm
    // parameters as a form of their own, one field here, whatever @RequestBody says).
    public Uni<WebhookReceipt> notifyForm(@RestForm("merchant_uid") String merchantUid) {
        return sync(merchantUid);
    }

    /**
     * A malformed merchant_uid is refused before any lookup: it names no order, so it tells
     * nothing.
     */
    private Uni<WebhookReceipt> sync(String merchantUid) {
        if (merchantUid == null || merchantUid.isBlank()) {
            throw new ValidationFailedException(
                    List.of(
                            new ValidationFailedException.FieldError(
                                    "merchant_uid", "is required")));
        }
        if (merchantUid.length() > CancelRequests.MERCHANT_UID_MAX) {
            throw new ValidationFailedException(
                    List.of(
                            new ValidationFailedException.FieldError(
                                    "merchant_uid",
                                    "must be at most "
                                            + CancelRequests.MERCHANT_UID_MAX
                                            + " characters")));
        }
        return payments.syncForWebhook(merchantUid).replaceWith(WebhookReceipt.RECEIVED);
    }
}
