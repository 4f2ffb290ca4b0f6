package kr.cancelpay.dev.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Every request in arrival order, with a way to block until some have arrived (no fixed sleeps).
 */
final class CallLog {

    private final List<RecordedCall> calls = new ArrayList<>();

    synchronized void record(RecordedCall call) {
        calls.add(call);
        notifyAll();
    }

    synchronized List<RecordedCall> all() {
        return List.copyOf(calls);
    }

    synchronized List<RecordedCall> of(ChaiPortSandbox.Endpoint endpoint) {
        return calls.stream().filter(c -> c.endpoint() == endpoint).toList();
    }

    synchronized void clear() {
        calls.clear();
    }

    /** Waits until at least {@code count} calls to {@code endpoint} were recorded. */
    synchronized void await(ChaiPortSandbox.Endpoint endpoint, int count, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countOf(endpoint) < count) {
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
                                + countOf(endpoint));
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

    private long countOf(ChaiPortSandbox.Endpoint endpoint) {
        return calls.stream().filter(c -> c.endpoint() == endpoint).count();
    }
}
