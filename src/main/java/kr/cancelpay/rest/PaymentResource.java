package kr.cancelpay.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.PaymentView;
import kr.cancelpay.service.RefundService;

/** {@code GET /payments/{merchant_uid}}: a stored payment with its refunds and any pending refund. */
@Path("/payments/{merchant_uid}")
public class PaymentResource {

    private final RefundService refunds;

    PaymentResource(RefundService refunds) {
        this.refunds = refunds;
    }

    @GET
    @RolesAllowed(Roles.REFUNDS_READ)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PaymentView> payment(@RestPath("merchant_uid") String merchantUid) {
        return refunds.view(merchantUid);
    }
}
