package kr.cancelpay.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every request body is read whole, up to {@code quarkus.http.limits.max-body-size} (64 KiB: a
 * refund request or a ChaiPort notification is a few hundred bytes), before JAX-RS sees it. A
 * larger one, announced by its {@code Content-Length} or found while reading a chunked body, is
 * answered 413 {@code PAYLOAD_TOO_LARGE} as {@code application/problem+json}, and nothing else
 * runs. Quarkus enforces the same limit itself, but answers with an empty body; this route comes
 * first so that callers always get the problem shape.
 */
@ApplicationScoped
public class RequestBodyLimit {

    /** Before Quarkus' own limit check (order -2), which would answer an empty 413. */
    static final int ORDER = -3;

    private static final Logger LOG = Logger.getLogger(RequestBodyLimit.class);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Set<HttpMethod> WITHOUT_BODY =
            Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final long limit;
    private final ObjectMapper json;

    RequestBodyLimit(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        // Vert.x's body handler checks Content-Length up front and counts a chunked body as it
        // arrives; JAX-RS then reads the buffered body (and form fields) instead of the connection.
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(limit);
        router.route()
                .order(ORDER)
                .handler(
                        context -> {
                            HttpServerRequest request = context.request();
                            if (WITHOUT_BODY.contains(request.method())) {
                                context.next();
                            } else if (request.version() == HttpVersion.HTTP_2) {
                                // JAX-RS cannot take an HTTP/2 body read before it (it pauses the
                                // finished stream and
                                // fails), so HTTP/2 is off (quarkus.http.http2=false); should it be
                                // turned on, its
                                // bodies are left to JAX-RS and only their announced size is
                                // checked here.
                                if (announcedSize(request) > limit) {
                                    context.fail(413);
                                } else {
                                    context.next();
                                }
                            } else {
                                reader.handle(context);
                            }
                        })
                .handler(RequestBodyLimit::readWhole)
                .failureHandler(this::refused);
    }

    /**
     * After the body handler: an empty body (none, or a chunked one without chunks) becomes an
     * empty buffer, since JAX-RS reads the connection when it finds no buffer, and would wait for a
     * body already delivered. A form whose percent-escapes do not decode is refused here (400),
     * like malformed JSON: JAX-RS would fail on it while binding the fields, as an unexpected
     * error.
     */
    private static void readWhole(RoutingContext context) {
        if (WITHOUT_BODY.contains(context.request().method())
                || context.request().version() == HttpVersion.HTTP_2) {
            context.next();
            return;
        }
        Buffer body = context.body().buffer();
        if (body == null && context instanceof RoutingContextInternal internal) {
            internal.setBody(Buffer.buffer());
        }
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (body != null && type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            try {
                for (String field : body.toString(StandardCharsets.UTF_8).split("&")) {
                    URLDecoder.decode(field, StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException malformed) {
                context.fail(400);
                return;
            }
        }
        context.next();
    }

    private static long announcedSize(HttpServerRequest request) {
        try {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException unparsable) {
            return -1;
        }
    }

    /**
     * The body handler's failures: too large (413), or a body it cannot decode (400, e.g. a broken
     * form).
     */
    private void refused(RoutingContext context) {
        int status = context.statusCode();
        if (status != 413 && status != 400 || context.response().headWritten()) {
            context.next();
            return;
        }
        Map<String, Object> body =
                status == 413
                        ? ProblemMapper.body(
                                413,
                                "PAYLOAD_TOO_LARGE",
                                "Payload too large",
                                "The request body exceeds " + limit + " bytes.",
                                Map.of())
                        : ProblemMapper.body(
                                400,
                                "VALIDATION_FAILED",
                                "Invalid request",
                                "The request body cannot be read.",
                                Map.of(
                                        "errors",
                                        List.of(
                                                new ValidationFailedException.FieldError(
                                                        "", "unreadable body"))));
        LOG.debugf(
                "refused the body of %s %s: %d",
                context.request().method(), context.request().path(), status);
        try {
            HttpServerResponse response =
                    context.response()
                            .setStatusCode(status)
                            .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON);
            if (status == 413 && context.request().version() != HttpVersion.HTTP_2) {
                // The rest of an oversized body is not worth reading: this connection ends here.
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
            response.end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            context.next();
        }
    }
}
