package kr.cancelpay.health;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import kr.cancelpay.client.ChaiPortClient;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the ChaiPort circuit breakers in readiness without failing it: an open breaker is
 * ChaiPort's trouble, and taking every replica out of the Service would only turn clear 503
 * PG_UNAVAILABLE answers into connection errors (and stop the payment lookups that still work).
 */
@Readiness
@ApplicationScoped
public class ChaiPortBreakersHealthCheck implements HealthCheck {

    private final CircuitBreakerMaintenance breakers;

    ChaiPortBreakersHealthCheck(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("chaiport-circuit-breakers").up();
        for (String name :
                new String[] {
                    ChaiPortClient.TOKEN_BREAKER,
                    ChaiPortClient.CANCEL_BREAKER,
                    ChaiPortClient.LOOKUP_BREAKER
                }) {
            response.withData(name, breakers.currentState(name).name());
        }
        return response.build();
    }
}
