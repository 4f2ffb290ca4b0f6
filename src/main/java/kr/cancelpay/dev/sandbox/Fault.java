package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A misbehaviour the sandbox applies to exactly one request of an endpoint (see {@link
 * ChaiPortSandbox#enqueueFault}).
 *
 * <p>Two families: faults that replace the request entirely (the PG never processes it) and {@code
 * executeThen*} faults, which let the cancel run and then lose or spoil the answer. The latter are
 * the dangerous real-world case: the money moved, but the merchant cannot know it. Besides them,
 * {@link #answer} and {@link #editAnswer} make the PG answer with a body of the test's choosing
 * (every field of ChaiPort's answers may be absent).
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

    /**
     * Do not execute; hold the request for {@code d} (or until stop) and close without answering.
     */
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
     * CANCEL only: hold the request for {@code d} (or until stop), THEN execute it and close
     * without answering: the cancel moves money after the client gave up and after a look could see
     * it.
     */
    static Fault hangThenExecute(Duration d) {
        return new HangThenExecute(d);
    }

    /**
     * Do not process the request (a cancel does not execute); answer HTTP 200 with exactly {@code
     * body}, e.g. a V1 envelope missing a field ChaiPort normally sends.
     */
    static Fault answer(String body) {
        return new FixedAnswer(body);
    }

    /**
     * Process the request as usual (a cancel executes), then answer with {@code edit} applied to
     * the envelope {@code {"code", "message", "response"}} about to be sent (a copy: the sandbox's
     * own state is untouched). For sparse or odd answers after real work: no {@code code}, a
     * fractional {@code cancel_amount}, ...
     */
    static Fault editAnswer(String description, UnaryOperator<ObjectNode> edit) {
        return new EditedAnswer(description, edit);
    }

    /**
     * Process the request as usual (a cancel executes), then leave {@code fields} out of the
     * answer's {@code response}: a top-level name ({@code "cancel_amount"}, {@code "expired_at"})
     * or {@code "cancel_history[].amount"} for a field of every history entry.
     */
    static Fault answerWithout(String... fields) {
        List<String> names = List.of(fields);
        return editAnswer(
                "without " + names,
                envelope -> {
                    if (envelope.get("response") instanceof ObjectNode response) {
                        for (String name : names) {
                            int entryField = name.indexOf("[].");
                            if (entryField < 0) {
                                response.remove(name);
                            } else if (response.get(name.substring(0, entryField))
                                    instanceof ArrayNode entries) {
                                String field = name.substring(entryField + 3);
                                entries.forEach(
                                        entry -> {
                                            if (entry instanceof ObjectNode object) {
                                                object.remove(field);
                                            }
                                        });
                            }
                        }
                    }
                    return envelope;
                });
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

    record FixedAnswer(String body) implements Fault {
        public FixedAnswer {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * Applies to every endpoint: on CANCEL the cancel executes, elsewhere the request is answered
     * as usual.
     */
    record EditedAnswer(String description, UnaryOperator<ObjectNode> edit) implements Fault {
        public EditedAnswer {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(edit, "edit");
        }

        @Override
        public boolean executesFirst() {
            return true;
        }

        @Override
        public boolean cancelOnly() {
            return false;
        }

        @Override
        public String toString() {
            return "EditedAnswer[" + description + "]";
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
