package kr.cancelpay.dev.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the sandbox applies to exactly one request of an endpoint
 * (see {@link ChaiPortSandbox#enqueueFault}).
 *
 * <p>Two families: faults that replace the request entirely (the PG never processes it) and
 * {@code executeThen*} faults, which let the cancel run and then lose or spoil the answer. The latter
 * are the dangerous real-world case: the money moved, but the merchant cannot know it.
 */
public sealed interface Fault {

    /** Answer normally, but only after {@code d} (on top of the sandbox-wide latency). */
    static Fault latency(Duration d) {
        return new Latency(d);
    }

    /** Do not execute; answer {@code status} with the error envelope {@code {"code":-1,...}}. */
    static Fault httpStatus(int status) {
        return new HttpStatus(status);
    }

    /** Do not execute; hold the request for {@code d} (or until stop) and close without answering. */
    static Fault hang(Duration d) {
        return new Hang(d);
    }

    /** CANCEL only: execute the cancel, then hang like {@link #hang}: the answer is lost. */
    static Fault executeThenHang(Duration d) {
        return new ExecuteThenHang(d);
    }

    /** CANCEL only: execute the cancel, then answer {@code status} with the error envelope. */
    static Fault executeThenStatus(int status) {
        return new ExecuteThenStatus(status);
    }

    /**
     * CANCEL only: hold the request for {@code d} (or until stop), THEN execute it and close without
     * answering: the cancel moves money after the client gave up and after a look could see it.
     */
    static Fault hangThenExecute(Duration d) {
        return new HangThenExecute(d);
    }

    /** Whether this fault may only be queued for CANCEL (it executes a cancel at some point). */
    default boolean cancelOnly() {
        return executesFirst();
    }

    /** Whether the request is processed normally before the fault spoils the answer. */
    default boolean executesFirst() {
        return false;
    }

    record Latency(Duration duration) implements Fault {
        public Latency {
            requireNonNegative(duration);
        }
    }

    record HttpStatus(int status) implements Fault {
        public HttpStatus {
            requireHttpStatus(status);
        }
    }

    record Hang(Duration duration) implements Fault {
        public Hang {
            requireNonNegative(duration);
        }
    }

    record HangThenExecute(Duration duration) implements Fault {
        public HangThenExecute {
            requireNonNegative(duration);
        }

        @Override
        public boolean cancelOnly() {
            return true;
        }
    }

    record ExecuteThenHang(Duration duration) implements Fault {
        public ExecuteThenHang {
            requireNonNegative(duration);
        }

        @Override
        public boolean executesFirst() {
            return true;
        }
    }

    record ExecuteThenStatus(int status) implements Fault {
        public ExecuteThenStatus {
            requireHttpStatus(status);
        }

        @Override
        public boolean executesFirst() {
            return true;
        }
    }

    private static void requireNonNegative(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
    }

    private static void requireHttpStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
    }
}
