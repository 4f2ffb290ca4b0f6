package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * At most one run per key in flight and one waiting; every caller is served by a run that started
 * after it came.
 */
class CoalescedRunsTest {

    /** Runs the test finishes by hand, in the order they started. */
    private final List<CompletableFuture<Void>> started = new ArrayList<>();

    private final Supplier<Uni<Void>> job =
            () -> {
                CompletableFuture<Void> run = new CompletableFuture<>();
                started.add(run);
                return Uni.createFrom().completionStage(run);
            };

    private final CoalescedRuns runs = new CoalescedRuns();

    @Test
    void callersDuringARunShareOneRunThatStartsWhenItEnds() {
        Uni<Void> first = runs.join("order-1", job);
        assertEquals(1, started.size(), "the first caller starts a run at once");

        Uni<Void> second = runs.join("order-1", job);
        Uni<Void> third = runs.join("order-1", job);
        assertSame(second, third, "everyone arriving during the run shares the next one");
        assertNotSame(first, second, "not the run in flight: it may have looked before they came");
        assertEquals(1, started.size(), "the next run waits for the one in flight");

        UniAssertSubscriber<Void> firstCaller =
                first.subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<Void> laterCaller =
                second.subscribe().withSubscriber(UniAssertSubscriber.create());
        started.get(0).complete(null);
        firstCaller.assertCompleted();
        assertEquals(2, started.size(), "the next run starts when the first ends");
        laterCaller.assertNotTerminated();

        // A caller arriving now queues behind the second run.
        Uni<Void> fourth = runs.join("order-1", job);
        assertNotSame(second, fourth);
        started.get(1).complete(null);
        laterCaller.assertCompleted();
        assertEquals(3, started.size());
        started.get(2).complete(null);
        fourth.subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();

        assertEquals(0, runs.inFlight(), "nothing left behind");
    }

    @Test
    void aFailedRunFailsItsCallersOnlyAndTheNextOneStillRuns() {
        Uni<Void> first = runs.join("order-2", job);
        Uni<Void> next = runs.join("order-2", job);
        started.get(0).completeExceptionally(new IllegalStateException("ChaiPort down"));

        Throwable failure =
                first.subscribe()
                        .withSubscriber(UniAssertSubscriber.create())
                        .assertFailed()
                        .getFailure();
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals(
                2,
                started.size(),
                "the callers who came during the failed run get a run of their own");
        started.get(1).complete(null);
        next.subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
        assertEquals(0, runs.inFlight());
    }

    @Test
    void aJobThatThrowsFailsItsCallerAndLeavesNothingBehind() {
        Uni<Void> broken =
                runs.join(
                        "order-3",
                        () -> {
                            throw new IllegalArgumentException("bug");
                        });
        broken.subscribe().withSubscriber(UniAssertSubscriber.create()).assertFailed();
        assertEquals(0, runs.inFlight());
        runs.join("order-3", job);
        assertEquals(1, started.size(), "a later caller starts afresh");
    }

    @Test
    void ordersRunIndependently() {
        runs.join("order-a", job);
        runs.join("order-b", job);
        assertEquals(2, started.size());
        assertEquals(2, runs.inFlight());
        started.forEach(run -> run.complete(null));
        assertEquals(0, runs.inFlight());
    }

    @Test
    void aRunGoesOnWhenItsCallerHangsUp() {
        Uni<Void> first = runs.join("order-4", job);
        first.subscribe().withSubscriber(UniAssertSubscriber.create()).cancel();
        assertTrue(
                runs.inFlight() == 1 && !started.get(0).isCancelled(),
                "the run is not cancelled with its caller");
        started.get(0).complete(null);
        assertEquals(0, runs.inFlight(), "and it still cleans up when it ends");
    }
}
