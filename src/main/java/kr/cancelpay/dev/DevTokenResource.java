package kr.cancelpay.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import kr.cancelpay.security.Roles;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Dev mode only: hands out a bearer token signed with the dev key pair ({@code src/main/dev/jwt}),
 * so the README's curl examples work. Dropped from the prod build at build time.
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    /** The audience the service verifies: a dev token is a token for this service. */
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    Set<String> audiences;

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    public String token(@QueryParam("groups") String groups) {
        Set<String> granted =
                groups == null || groups.isBlank()
                        ? Set.of(Roles.REFUNDS_WRITE, Roles.REFUNDS_READ)
                        : Arrays.stream(groups.split(","))
                                .map(String::trim)
                                .filter(g -> !g.isEmpty())
                                .collect(Collectors.toSet());
        return Jwt.issuer(issuer)
                .audience(audiences)
                .upn("dev-merchant")
                .groups(granted)
                .expiresIn(Duration.ofHours(1))
                .sign();
    }
}
