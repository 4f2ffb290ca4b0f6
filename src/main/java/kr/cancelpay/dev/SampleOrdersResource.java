package kr.cancelpay.dev;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The sample orders dev mode seeds, for the refund page to offer (a newcomer picks one instead of
 * typing a merchant_uid). Names only what {@link SampleOrders} seeds, nothing read from MongoDB:
 * the page reads each order's figures through the API, with the caller's token. Built for dev mode
 * and the tests (which seed the same samples, to drive the page as a newcomer would); dropped from
 * the prod build at build time, and left out of the OpenAPI document (it is no part of the API).
 */
@Path("/dev/sample-orders")
@IfBuildProfile(anyOf = {"dev", "test"})
public class SampleOrdersResource {

    /** What the page shows for one sample order. */
    @RegisterForReflection
    public record SampleOrder(
            @JsonProperty("merchant_uid") String merchantUid,
            @JsonProperty("pay_method") String payMethod,
            @JsonProperty("amount") long amount) {}

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public List<SampleOrder> sampleOrders() {
        return SampleOrders.ALL.stream()
                .map(s -> new SampleOrder(s.merchantUid(), s.payMethod(), s.amount()))
                .toList();
    }
}
