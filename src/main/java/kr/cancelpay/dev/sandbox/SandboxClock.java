package kr.cancelpay.dev.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The PG's clock: system time plus an adjustable offset, so tests can let tokens expire without
 * waiting. Deliberately different from the caller's clock, as the real PG's is.
 */
final class SandboxClock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    Instant now() {
        return Instant.now().plus(offset.get());
    }

    long epochSecond() {
        return now().getEpochSecond();
    }

    void advance(Duration d) {
        offset.accumulateAndGet(d, Duration::plus);
    }

    void reset() {
        offset.set(Duration.ZERO);
    }
}
