package kr.cancelpay.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.RefundResult;
import kr.cancelpay.service.RefundService;

/** {@code POST /payments/cancel}: HTTP in, {@link RefundService} call, HTTP out. */
@Path("/payments/cancel")
public class PaymentCancelResource {

    private final RefundService refunds;

    PaymentCancelResource(RefundService refunds) {
        this.refunds = refunds;
    }

    /**
     * The body is read as a JSON tree so that every field error (a string where a number belongs,
     * a fraction of a won) is reported by name instead of failing on the first one.
     */
    @POST
    @RolesAllowed(Roles.REFUNDS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<RefundResult>> cancel(JsonNode body) {
        return refunds.refund(CancelRequests.parse(body))
                .map(result -> result instanceof RefundResult.Pending
                        ? RestResponse.status(RestResponse.Status.ACCEPTED, result)
                        : RestResponse.ok(result));
    }
}
