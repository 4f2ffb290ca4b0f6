package kr.cancelpay.health;

import jakarta.enterprise.context.ApplicationScoped;
import kr.cancelpay.service.InFlightRefunds;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness DOWN from the moment shutdown begins, while the refunds in flight finish: Kubernetes
 * stops routing new ones here (Quarkus's own shutdown readiness comes a step later).
 */
@Readiness
@ApplicationScoped
public class AcceptingRefundsCheck implements HealthCheck {

    private final InFlightRefunds inFlight;

    AcceptingRefundsCheck(InFlightRefunds inFlight) {
        this.inFlight = inFlight;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting-refunds")
                .status(inFlight.acceptingRefunds())
                .build();
    }
}
