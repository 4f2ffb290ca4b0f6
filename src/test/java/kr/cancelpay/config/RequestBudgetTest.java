package kr.cancelpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The worst-case arithmetic behind the lock lease, as tables: no Quarkus, no clock. */
class RequestBudgetTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                // timeout, retries, delay, jitter, max delay -> worst case (ms)
                Arguments.of(3000, 2, 200, 100, 2000, 3 * 3000 + (200 + 100) + (400 + 100)),
                Arguments.of(3000, 0, 200, 100, 2000, 3000),
                Arguments.of(1000, 4, 500, 0, 1500, 5 * 1000 + 500 + 1000 + 1500 + 1500),
                Arguments.of(500, 2, 20, 0, 2000, 3 * 500 + 20 + 40));
    }

    @ParameterizedTest
    @MethodSource("calls")
    void aRetriedCall(
            long timeout,
            int retries,
            long delay,
            long jitter,
            long maxDelay,
            long expectedMillis) {
        assertEquals(
                Duration.ofMillis(expectedMillis),
                RequestBudget.call(
                        Duration.ofMillis(timeout),
                        retries,
                        Duration.ofMillis(delay),
                        Duration.ofMillis(jitter),
                        Duration.ofMillis(maxDelay)));
    }

    @Test
    void theDefaultsFitTheDefaultLeaseWithMargin() {
        RequestBudget defaults =
                new RequestBudget(
                        Duration.ofMillis(9800),
                        Duration.ofMillis(9800),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5));
        // Two looks (each behind a token, twice over for a 401) and nine store operations before
        // the first send.
        assertEquals(
                Duration.ofMillis(2 * 2 * (9800 + 9800) + 9 * 5000), defaults.beforeFirstSend());
        assertEquals(
                Duration.ofMillis(2 * (9800 + 10000) + 2 * (9800 + 9800) + 5 * 5000),
                defaults.perSend());
        assertEquals(defaults.beforeFirstSend(), defaults.longestStretch());
        assertEquals(
                defaults.beforeFirstSend().plus(defaults.perSend().multipliedBy(2)),
                defaults.wholeRequest());
        assertNull(defaults.leaseProblem(Duration.ofMinutes(3)));
        String problem = defaults.leaseProblem(Duration.ofMinutes(2));
        assertTrue(problem != null && problem.contains("cancelpay.lock-lease PT2M"), problem);
    }

    static Stream<Arguments> leases() {
        // The defaults' longest stretch is 123.4 s, so a lease must have 154.25 s left (x 1.25).
        return Stream.of(
                // seconds since the lock was taken with a 3-minute lease -> no renewal needed
                Arguments.of(0.0, true),
                Arguments.of(0.05, true),
                Arguments.of(25.75, true),
                Arguments.of(25.751, false),
                Arguments.of(60.0, false),
                Arguments.of(180.0, false),
                Arguments.of(240.0, false));
    }

    @ParameterizedTest
    @MethodSource("leases")
    void aRenewalIsSkippedOnlyWhileTheLeaseLeftOutlastsTheLongestStretchWithMargin(
            double secondsSinceTaken, boolean covered) {
        RequestBudget defaults =
                new RequestBudget(
                        Duration.ofMillis(9800),
                        Duration.ofMillis(9800),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5));
        Instant taken = Instant.parse("2026-11-27T12:00:00Z");
        Instant until = taken.plus(Duration.ofMinutes(3));
        Instant now = taken.plusMillis((long) (secondsSinceTaken * 1000));
        assertEquals(covered, defaults.leaseStillCovers(until, now));
    }
}
