package kr.cancelpay.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import kr.cancelpay.config.CancelPayConfig;
import org.jboss.logging.Logger;

/**
 * {@code cancelpay.auth.enabled=false}: every caller is trusted with every group. Runs before the
 * JWT mechanism; when auth is on (the default) it steps aside and bearer JWTs decide.
 */
@ApplicationScoped
public class AuthDisabledMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(AuthDisabledMechanism.class);

    /** The principal of every request while authentication is off. */
    public static final String PRINCIPAL = "auth-disabled";

    private static final SecurityIdentity TRUSTED =
            QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(PRINCIPAL))
                    .addRoles(Set.of(Roles.REFUNDS_WRITE, Roles.REFUNDS_READ))
                    .build();

    private final boolean authEnabled;

    AuthDisabledMechanism(CancelPayConfig config) {
        this.authEnabled = config.cancelpay().auth().enabled();
    }

    void warn(@Observes @Priority(1) StartupEvent startup) {
        if (!authEnabled) {
            LOG.warn(
                    "cancelpay.auth.enabled=false: ANY caller that reaches this service can refund any order. "
                            + "Only run like this behind a gateway that authenticates and authorises callers.");
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            RoutingContext context, IdentityProviderManager identityProviderManager) {
        return authEnabled ? Uni.createFrom().nullItem() : Uni.createFrom().item(TRUSTED);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
