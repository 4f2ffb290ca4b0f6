package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shutdown wait for detached refund flows, without Quarkus. */
class InFlightRefundsTest {

    @Test
    void waitsForRunningFlowsWithinTheBudgetAndForgetsFinishedOnes() {
        InFlightRefunds inFlight = new InFlightRefunds(Duration.ofSeconds(30));
        CompletableFuture<String> chaiPort = new CompletableFuture<>();
        Uni<String> caller = inFlight.detach(Uni.createFrom().completionStage(chaiPort));
        inFlight.detach(Uni.createFrom().failure(new IllegalStateException("ended in a problem")));

        assertEquals(
                1, inFlight.running(), "a finished flow is not waited for, a failed one neither");
        assertEquals(
                1,
                inFlight.awaitAll(Duration.ofMillis(50)),
                "still running when the budget is spent");

        chaiPort.complete("refunded");
        assertEquals(0, inFlight.awaitAll(Duration.ofSeconds(5)));
        assertEquals(
                "refunded",
                caller.await().atMost(Duration.ofSeconds(1)),
                "the caller, if still there, hears it");
    }

    @Test
    void theFlowRunsEvenWhenNobodyListens() {
        InFlightRefunds inFlight = new InFlightRefunds(Duration.ofSeconds(30));
        int[] runs = {0};
        inFlight.detach(Uni.createFrom().item(() -> ++runs[0]));
        assertEquals(1, runs[0]);
    }
}
