package kr.cancelpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
}
