package kr.cancelpay.config;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The packaged application starts nothing embedded and has no default key or database: without
 * these it would quietly talk to a MongoDB on localhost, look for orders in a database that does
 * not hold them, fail on the first refund, accept no token at all, or accept tokens meant for
 * another service of the same identity provider (no audience). Refuse to start instead, and say
 * what is missing. ({@code chaiport.imp-key}/{@code imp-secret} are required by {@link
 * CancelPayConfig} itself.)
 */
@IfBuildProfile("prod")
public class RequiredSettings {

    void check(@Observes StartupEvent startup, Config config, CancelPayConfig cancelPay) {
        List<String> missing = new ArrayList<>();
        require(
                config,
                missing,
                "quarkus.mongodb.connection-string",
                "QUARKUS_MONGODB_CONNECTION_STRING");
        if (StoreDatabase.choose(
                        config.getOptionalValue(StoreDatabase.PROPERTY, String.class),
                        config.getOptionalValue(StoreDatabase.CONNECTION_STRING, String.class))
                .isEmpty()) {
            missing.add(StoreDatabase.MISSING);
        }
        require(
                config,
                missing,
                "quarkus.rest-client.chaiport.url",
                "QUARKUS_REST_CLIENT_CHAIPORT_URL");
        if (cancelPay.cancelpay().auth().enabled()) {
            if (absent(config, "mp.jwt.verify.publickey.location")
                    && absent(config, "mp.jwt.verify.publickey")) {
                missing.add(
                        "a JWT verification key: mp.jwt.verify.publickey.location (env MP_JWT_VERIFY_PUBLICKEY_LOCATION)"
                                + " or mp.jwt.verify.publickey (env MP_JWT_VERIFY_PUBLICKEY)"
                                + " -- or cancelpay.auth.enabled=false behind an authenticating gateway");
            }
            require(config, missing, "mp.jwt.verify.issuer", "MP_JWT_VERIFY_ISSUER");
            // Without it, any token of a shared identity provider that carries a refunds group
            // would do.
            require(config, missing, "mp.jwt.verify.audiences", "MP_JWT_VERIFY_AUDIENCES");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "cancelpay cannot start: missing required configuration "
                            + missing
                            + ". See README.md, section 'Configuration'.");
        }
    }

    private static void require(Config config, List<String> missing, String key, String env) {
        if (absent(config, key)) {
            missing.add(key + " (env " + env + ")");
        }
    }

    private static boolean absent(Config config, String key) {
        return config.getOptionalValue(key, String.class)
                .filter(value -> !value.isBlank())
                .isEmpty();
    }
}
