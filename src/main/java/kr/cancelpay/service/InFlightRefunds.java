package kr.cancelpay.service;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refund flows run to their end on their own subscription, so that a caller who hangs up cannot cut
 * one in half; Quarkus's graceful shutdown waits only for HTTP requests still attached to a caller.
 * This tracks every flow and, on SIGTERM, waits up to {@code quarkus.shutdown.timeout} for those
 * still running before Quarkus goes on with its shutdown delay and HTTP drain (readiness is DOWN
 * meanwhile). A refund cut by a hard kill anyway is left PENDING or UNKNOWN in the ledger and
 * settled by the janitor of another replica.
 */
@ApplicationScoped
public class InFlightRefunds {

    private static final Logger LOG = Logger.getLogger(InFlightRefunds.class);

    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private final Duration timeout;
    private volatile boolean shuttingDown;

    InFlightRefunds(
            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "30S")
                    Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code flow} to its end whoever listens, and keeps it in view until then. */
    <T> Uni<T> detach(Uni<T> flow) {
        Uni<T> shared = flow.memoize().indefinitely();
        CompletableFuture<T> completion = shared.subscribeAsCompletionStage();
        running.add(completion);
        completion.whenComplete((result, failure) -> running.remove(completion));
        return shared;
    }

    int running() {
        return running.size();
    }

    /** False once shutdown began: readiness goes DOWN so the Service routes no new refund here. */
    public boolean acceptingRefunds() {
        return !shuttingDown;
    }

    /**
     * SIGTERM: the first thing Quarkus does is this event (with {@code
     * quarkus.shutdown.delay-enabled}); everything is still open, so the refunds in flight can
     * finish here. After this observer Quarkus sleeps the shutdown delay, drains HTTP requests and
     * closes the clients, so waiting any later would be too late (the REST client's connections are
     * gone by {@code ShutdownEvent}).
     */
    void onShutdownStarted(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        awaitAll(timeout);
    }

    /** Waits for the refunds still running, at most {@code budget}; answers how many were left. */
    int awaitAll(Duration budget) {
        if (running.isEmpty()) {
            return 0;
        }
        LOG.infof("shutdown: waiting up to %s for %d refund(s) in flight", budget, running.size());
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .handle((ignored, failure) -> null)
                    .get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf(
                    "shutdown: %d refund(s) still in flight; the ledger keeps them PENDING/UNKNOWN and the janitor "
                            + "of another replica settles them",
                    running.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // handle() above turns failures into completion: not reached
        }
        return running.size();
    }
}
