package kr.cancelpay.config;

import java.util.List;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * The packaged application starts nothing embedded: without these it would quietly talk to a
 * MongoDB on localhost or fail on the first refund. Refuse to start instead, and say what is missing.
 * ({@code chaiport.imp-key}/{@code imp-secret} are checked by {@link CancelPayConfig} itself.)
 */
@IfBuildProfile("prod")
public class RequiredSettings {

    private static final List<String[]> REQUIRED = List.of(
            new String[] { "quarkus.mongodb.connection-string", "QUARKUS_MONGODB_CONNECTION_STRING" },
            new String[] { "quarkus.rest-client.chaiport.url", "QUARKUS_REST_CLIENT_CHAIPORT_URL" });

    void check(@Observes StartupEvent startup, Config config) {
        List<String> missing = REQUIRED.stream()
                .filter(key -> config.getOptionalValue(key[0], String.class).filter(v -> !v.isBlank()).isEmpty())
                .map(key -> key[0] + " (env " + key[1] + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cancelpay cannot start: missing required configuration " + missing
                    + ". See README.md, section 'Configuration'.");
        }
    }
}
