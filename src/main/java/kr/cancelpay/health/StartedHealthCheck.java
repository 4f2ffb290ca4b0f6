package kr.cancelpay.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Startup;

/**
 * Startup and liveness: answering at all means the application started and its event loop is not
 * stuck. Dependencies stay out of liveness on purpose: restarting pods does not bring MongoDB back.
 */
@Startup
@Liveness
@ApplicationScoped
public class StartedHealthCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("cancelpay");
    }
}
