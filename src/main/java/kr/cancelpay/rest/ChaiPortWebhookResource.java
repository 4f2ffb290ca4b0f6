package kr.cancelpay.rest;

import static kr.cancelpay.rest.ProblemMapper.PROBLEM_JSON;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.rest.openapi.ProblemDocument;
import kr.cancelpay.service.PaymentView;
import kr.cancelpay.service.PaymentSyncService;

/**
 * {@code POST /webhooks/chaiport}: ChaiPort's notification ({@code imp_uid, merchant_uid, status}).
 * Unauthenticated by nature, so its body is only a hint of WHICH order to look at: the row is
 * synced from what ChaiPort answers when asked, never from the notification.
 */
@Path("/webhooks/chaiport")
@PermitAll
@Tag(name = "webhooks")
public class ChaiPortWebhookResource {

    private final PaymentSyncService payments;

    ChaiPortWebhookResource(PaymentSyncService payments) {
        this.payments = payments;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, PROBLEM_JSON })
    @Operation(summary = "ChaiPort's payment notification (open: its body only says which order to re-query)")
    @APIResponse(responseCode = "200", description = "The order, synced from ChaiPort's answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PaymentView.class)))
    @APIResponse(responseCode = "400", description = "VALIDATION_FAILED: no merchant_uid",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "404", description = "PAYMENT_NOT_FOUND",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "409", description = "REFUND_IN_PROGRESS: the order is locked or its pending refund unsettled; retry later",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "503", description = "PG_UNAVAILABLE or STORE_UNAVAILABLE; retry later",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class)))
    public Uni<PaymentView> notifyJson(JsonNode body) {
        JsonNode merchantUid = body == null ? null : body.get("merchant_uid");
        return sync(merchantUid != null && merchantUid.isTextual() ? merchantUid.textValue() : null);
    }

    /** ChaiPort may also post the notification as a form. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({ MediaType.APPLICATION_JSON, PROBLEM_JSON })
    @Operation(summary = "The same notification, form-encoded")
    public Uni<PaymentView> notifyForm(@RestForm("merchant_uid") String merchantUid) {
        return sync(merchantUid);
    }

    private Uni<PaymentView> sync(String merchantUid) {
        if (merchantUid == null || merchantUid.isBlank()) {
            throw new ValidationFailedException(List.of(new ValidationFailedException.FieldError("merchant_uid", "is required")));
        }
        if (merchantUid.length() > CancelRequests.MERCHANT_UID_MAX) {
            throw new ValidationFailedException(List.of(new ValidationFailedException.FieldError("merchant_uid",
                    "must be at most " + CancelRequests.MERCHANT_UID_MAX + " characters")));
        }
        return payments.syncFromChaiPort(merchantUid);
    }
}
