package kr.cancelpay.client;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The raw ChaiPort V1 API. Package-private on purpose: {@link ChaiPortClient} is the only door, and
 * it owns timeouts, retries and the breaker.
 */
@RegisterRestClient(configKey = "chaiport")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface ChaiPortRestClient {

    @POST
    @Path("/users/getToken")
    Uni<ChaiPortEnvelope<AccessToken>> getToken(TokenRequest request);

    /** The token goes bare in Authorization, as the guide and the official clients send it. */
    @POST
    @Path("/payments/cancel")
    Uni<ChaiPortEnvelope<PgPayment>> cancelPayment(
            @HeaderParam("Authorization") String accessToken, CancelPaymentRequest request);

    @GET
    @Path("/payments/{imp_uid}")
    Uni<ChaiPortEnvelope<PgPayment>> getPayment(
            @HeaderParam("Authorization") String accessToken, @PathParam("imp_uid") String impUid);

    /**
     * ChaiPort answers business failures with HTTP 200 and {@code code != 0}; the statuses that
     * reach here are transport-level: 401 (token), 404 (lookups), 5xx (its trouble).
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 401) {
            return new ChaiPortException.Unauthorized();
        }
        if (status == 404) {
            return new ChaiPortException.NotFound();
        }
        if (status >= 500) {
            return new ChaiPortException.ServerError(status);
        }
        if (status >= 400) {
            return new ChaiPortException.ClientError(status);
        }
        return null;
    }
}
