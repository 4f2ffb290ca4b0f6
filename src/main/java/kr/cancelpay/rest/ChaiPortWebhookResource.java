package kr.cancelpay.rest;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.service.PaymentView;
import kr.cancelpay.service.RefundService;

/**
 * {@code POST /webhooks/chaiport}: ChaiPort's notification ({@code imp_uid, merchant_uid, status}).
 * Unauthenticated by nature, so its body is only a hint of WHICH order to look at: the row is
 * synced from what ChaiPort answers when asked, never from the notification.
 */
@Path("/webhooks/chaiport")
@PermitAll
public class ChaiPortWebhookResource {

    private final RefundService refunds;

    ChaiPortWebhookResource(RefundService refunds) {
        this.refunds = refunds;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PaymentView> notifyJson(JsonNode body) {
        JsonNode merchantUid = body == null ? null : body.get("merchant_uid");
        return sync(merchantUid != null && merchantUid.isTextual() ? merchantUid.textValue() : null);
    }

    /** ChaiPort may also post the notification as a form. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PaymentView> notifyForm(@RestForm("merchant_uid") String merchantUid) {
        return sync(merchantUid);
    }

    private Uni<PaymentView> sync(String merchantUid) {
        if (merchantUid == null || merchantUid.isBlank() || merchantUid.length() > CancelRequests.MERCHANT_UID_MAX) {
            throw new ValidationFailedException(List.of(new ValidationFailedException.FieldError("merchant_uid", "is required")));
        }
        return refunds.syncFromChaiPort(merchantUid);
    }
}
