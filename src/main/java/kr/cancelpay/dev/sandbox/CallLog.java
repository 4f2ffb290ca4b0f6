package kr.cancelpay.dev.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Every request in arrival order, with a way to block until some have arrived (no fixed sleeps),
 * and a count per endpoint. A long run (the benchmark: hundreds of thousands of calls) may keep the
 * counts only, so the sandbox's memory and garbage stay flat.
 */
final class CallLog {

    private final List<RecordedCall> calls = new ArrayList<>();
    private final Map<ChaiPortSandbox.Endpoint, Long> counts =
            new EnumMap<>(ChaiPortSandbox.Endpoint.class);
    private boolean keepRecords = true;

    synchronized void record(RecordedCall call) {
        if (call.endpoint() != null) {
            counts.merge(call.endpoint(), 1L, Long::sum);
        }
        if (keepRecords) {
            calls.add(call);
        }
        notifyAll();
    }

    synchronized List<RecordedCall> all() {
        return List.copyOf(calls);
    }

    synchronized List<RecordedCall> of(ChaiPortSandbox.Endpoint endpoint) {
        return calls.stream().filter(c -> c.endpoint() == endpoint).toList();
    }

    /** Calls to {@code endpoint} since construction or the last {@link #clear()}, kept or not. */
    synchronized long count(ChaiPortSandbox.Endpoint endpoint) {
        return counts.getOrDefault(Objects.requireNonNull(endpoint, "endpoint"), 0L);
    }

    synchronized void keepRecords(boolean keep) {
        keepRecords = keep;
    }

    synchronized void clear() {
        calls.clear();
        counts.clear();
    }

    /** Waits until at least {@code count} calls to {@code endpoint} were recorded. */
    synchronized void await(ChaiPortSandbox.Endpoint endpoint, int count, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(endpoint) < count) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                throw new AssertionError(
                        "expected at least "
                                + count
                                + " "
                                + endpoint
                                + " call(s) within "
                                + timeout
                                + " but got "
                                + count(endpoint));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(
                        "interrupted while waiting for " + endpoint + " calls", e);
            }
        }
    }
}
