package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The request pipeline of one running server: record, apply the queued fault, authenticate,
 * process, delay, answer.
 *
 * <p>One instance per {@link ChaiPortSandbox#start}: its {@code stopped} latch is what every hung
 * or delayed request waits on, so {@link #releaseAll()} frees them all at once on stop.
 */
final class SandboxHttpHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(SandboxHttpHandler.class.getName());

    private final CallLog calls;
    private final FaultQueues faults;
    private final TokenAuthority tokens;
    private final PaymentBook book;
    private final CancelProcessor cancels;
    private final SandboxClock clock;
    private final Supplier<Duration> latency;
    private final CountDownLatch stopped = new CountDownLatch(1);

    SandboxHttpHandler(
            CallLog calls,
            FaultQueues faults,
            TokenAuthority tokens,
            PaymentBook book,
            SandboxClock clock,
            Supplier<Duration> latency) {
        this.calls = calls;
        this.faults = faults;
        this.tokens = tokens;
        this.book = book;
        this.cancels = new CancelProcessor(book, clock);
        this.clock = clock;
        this.latency = latency;
    }

    /** Releases every request held by a hang fault or a latency, immediately. */
    void releaseAll() {
        stopped.countDown();
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (Throwable t) {
            // Never leave a caller without an answer because of a sandbox bug.
            LOG.log(Level.ERROR, "ChaiPort sandbox failed on " + exchange.getRequestURI(), t);
            send(exchange, Answer.httpError(500, "sandbox error: " + t));
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] rawBody = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Route route = Route.resolve(method, path);

        ObjectNode body = null;
        String malformed = null;
        try {
            body =
                    SandboxJson.parseBody(
                            rawBody, exchange.getRequestHeaders().getFirst("Content-Type"));
        } catch (SandboxJson.MalformedBodyException e) {
            malformed = e.getMessage();
        }
        calls.record(
                new RecordedCall(
                        route.endpoint(),
                        method,
                        path,
                        authorization,
                        body == null ? null : body.deepCopy(),
                        clock.now()));

        if (route.endpoint() == null) {
            int status = route.kind() == Route.Kind.METHOD_NOT_ALLOWED ? 405 : 404;
            delayThenSend(exchange, Answer.httpError(status), Duration.ZERO);
            return;
        }

        // The fault comes first: a request the "network" loses never reaches authentication.
        Fault fault = faults.take(route.endpoint());
        if (fault instanceof Fault.Hang hang) {
            hangUp(exchange, hang.duration());
            return;
        }
        if (fault instanceof Fault.HttpStatus status) {
            delayThenSend(exchange, Answer.httpError(status.status()), Duration.ZERO);
            return;
        }
        if (fault instanceof Fault.FixedAnswer fixed) {
            pause(latency.get());
            send(exchange, 200, fixed.body().getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (fault instanceof Fault.HangThenExecute late && malformed == null) {
            pause(late.duration());
            process(
                    route,
                    authorization,
                    body == null ? SandboxJson.MAPPER.createObjectNode() : body);
            exchange.close();
            return;
        }

        Answer answer =
                malformed != null
                        ? Answer.httpError(400, malformed)
                        : process(
                                route,
                                authorization,
                                body == null ? SandboxJson.MAPPER.createObjectNode() : body);

        // executeThen* faults: the work above is done (money may have moved); only the answer is
        // spoiled.
        if (fault instanceof Fault.ExecuteThenHang hang) {
            hangUp(exchange, hang.duration());
            return;
        }
        if (fault instanceof Fault.ExecuteThenStatus status) {
            answer = Answer.httpError(status.status());
        }
        if (fault instanceof Fault.EditedAnswer edited) {
            ObjectNode envelope =
                    edited.edit()
                            .apply(
                                    SandboxJson.envelopeNode(
                                            answer.code(),
                                            answer.message(),
                                            answer.response() == null
                                                    ? null
                                                    : answer.response().deepCopy()));
            pause(latency.get());
            send(exchange, answer.httpStatus(), SandboxJson.bytes(envelope));
            return;
        }
        Duration extra = fault instanceof Fault.Latency slow ? slow.duration() : Duration.ZERO;
        delayThenSend(exchange, answer, extra);
    }

    private Answer process(Route route, String authorization, JsonNode params) {
        if (route.kind() == Route.Kind.GET_TOKEN) {
            return issueToken(params);
        }
        if (!tokens.isValidAuthorization(authorization)) {
            return Answer.unauthorized(Answer.UNAUTHORIZED);
        }
        return switch (route.kind()) {
            case CANCEL -> {
                CancelProcessor.Outcome outcome = cancels.cancel(params);
                yield outcome.payment() != null
                        ? Answer.ok(SandboxJson.paymentView(outcome.payment()))
                        : Answer.rejected(outcome.rejection());
            }
            case PAYMENT_BY_IMP_UID -> paymentAnswer(book.byImpUid(route.param(0)).orElse(null));
            case PAYMENT_BY_MERCHANT_UID ->
                    paymentAnswer(book.byMerchantUid(route.param(0), route.param(1)).orElse(null));
            default -> throw new IllegalStateException("no processing for " + route);
        };
    }

    private Answer issueToken(JsonNode params) {
        JsonNode key = params.get("imp_key");
        JsonNode secret = params.get("imp_secret");
        if (key == null
                || secret == null
                || !key.isTextual()
                || !secret.isTextual()
                || !tokens.credentialsMatch(key.asText(), secret.asText())) {
            return Answer.unauthorized(Answer.BAD_CREDENTIALS);
        }
        TokenAuthority.Token token = tokens.issue();
        return Answer.ok(SandboxJson.tokenView(token, clock.epochSecond()));
    }

    private static Answer paymentAnswer(SandboxPayment payment) {
        return payment == null
                ? Answer.paymentNotFound()
                : Answer.ok(SandboxJson.paymentView(payment));
    }

    /** Holds the request, then drops the connection without a byte of answer (a lost response). */
    private void hangUp(HttpExchange exchange, Duration duration) {
        pause(duration);
        // Closing an exchange whose response was never started closes the TCP connection.
        exchange.close();
    }

    private void delayThenSend(HttpExchange exchange, Answer answer, Duration extra) {
        pause(latency.get().plus(extra));
        send(exchange, answer);
    }

    /** Waits {@code d}, or less if the server is being stopped. */
    private void pause(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, Answer answer) {
        send(
                exchange,
                answer.httpStatus(),
                SandboxJson.envelope(answer.code(), answer.message(), answer.response()));
    }

    private static void send(HttpExchange exchange, int httpStatus, byte[] bytes) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(httpStatus, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (e.g. it timed out) or headers were already sent: nothing to
            // tell.
            LOG.log(Level.DEBUG, "ChaiPort sandbox could not deliver an answer", e);
        }
    }
}
