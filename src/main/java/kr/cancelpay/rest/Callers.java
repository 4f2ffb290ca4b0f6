package kr.cancelpay.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import kr.cancelpay.security.AuthDisabledMechanism;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking, as far as idempotency keys and the ledger care: the JWT subject, or {@code
 * anonymous} when authentication is off (one scope for every caller behind the gateway).
 */
@RequestScoped
public class Callers {

    public static final String ANONYMOUS = "anonymous";

    private final SecurityIdentity identity;

    Callers(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String scope() {
        if (identity == null
                || identity.isAnonymous()
                || AuthDisabledMechanism.PRINCIPAL.equals(identity.getPrincipal().getName())) {
            return ANONYMOUS;
        }
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            return token.getSubject();
        }
        return identity.getPrincipal().getName();
    }
}
