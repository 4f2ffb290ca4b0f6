package kr.cancelpay.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.faulttolerance.api.RateLimitException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.repository.StoreUnavailableException;
import kr.cancelpay.repository.StoreWriteRejectedException;
import kr.cancelpay.service.RefundProblem;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json} (RFC 9457: type, title, status, detail)
 * with a stable {@code code}; never a stack trace, never a request's secret.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final int retryAfterSeconds;

    ProblemMapper(CancelPayConfig config) {
        this.retryAfterSeconds = config.cancelpay().retryAfterSeconds();
    }

    @ServerExceptionMapper
    public Response refundProblem(RefundProblem problem) {
        return problem(problem.status(), problem.body(), problem.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response validationFailed(ValidationFailedException failure) {
        return problem(
                400,
                "VALIDATION_FAILED",
                "Invalid request",
                "The refund request is invalid; see errors.",
                Map.of("errors", failure.errors()),
                null);
    }

    /** Malformed JSON (the framework reports it as a 400 WebApplicationException or as this). */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException failure) {
        return unreadableBody();
    }

    /**
     * Jackson's "not what was expected", trailing content after the value included (ours, not the
     * framework's plain 400).
     */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException failure) {
        return unreadableBody();
    }

    private static Response unreadableBody() {
        return problem(
                400,
                "VALIDATION_FAILED",
                "Invalid request",
                "The body is not valid JSON.",
                Map.of(
                        "errors",
                        List.of(new ValidationFailedException.FieldError("", "malformed JSON"))),
                null);
    }

    /** No token, or a token that fails verification (signature, expiry, issuer, algorithm). */
    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException failure) {
        Response problem =
                problem(
                        401,
                        "UNAUTHENTICATED",
                        "Unauthenticated",
                        "A valid bearer token is required (Authorization: Bearer <JWT>).",
                        Map.of(),
                        null);
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException failure) {
        return problem(
                403,
                "FORBIDDEN",
                "Forbidden",
                "The token does not carry the group this operation needs.",
                Map.of(),
                null);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StoreUnavailableException failure) {
        LOG.warnf("answering 503 STORE_UNAVAILABLE: %s", failure.getMessage());
        return problem(
                503,
                "STORE_UNAVAILABLE",
                "Payment store unavailable",
                "The payment database cannot be reached. A refund already sent to ChaiPort stays recorded as pending "
                        + "and is settled automatically; try again shortly.",
                Map.of(),
                retryAfterSeconds);
    }

    /**
     * A write MongoDB refused for good: already logged at ERROR (write, order) and counted where it
     * happened. The caller learns that it failed on our side, not why: no internals.
     */
    @ServerExceptionMapper
    public Response storeWriteRejected(StoreWriteRejectedException failure) {
        return problem(
                500,
                "STORE_WRITE_REJECTED",
                "Payment store refused a write",
                "The payment database refused to record a change of this order and will refuse it until the stored "
                        + "document is fixed; retrying will not help. A refund already sent to ChaiPort stays in the ledger "
                        + "and is settled once the document is fixed.",
                Map.of(),
                null);
    }

    /**
     * Beyond the webhook's limit on ChaiPort lookups (the only rate-limited, bulkheaded call):
     * nothing was done; ChaiPort resends a notification that was not acknowledged. Retry-After is
     * the limiter's own estimate when it has one, rounded up to whole seconds.
     */
    @ServerExceptionMapper({RateLimitException.class, BulkheadException.class})
    public Response webhookRateLimited(RuntimeException limited) {
        long retryAfterMillis =
                limited instanceof RateLimitException rateLimit
                        ? rateLimit.getRetryAfterMillis()
                        : -1;
        int retryAfter =
                retryAfterMillis > 0 ? (int) Math.max(1, (retryAfterMillis + 999) / 1000) : 1;
        return problem(
                429,
                "WEBHOOK_RATE_LIMITED",
                "Too many notifications",
                "Too many notifications are being processed now. Send it again later.",
                Map.of(),
                retryAfter);
    }

    /** 404 for unknown paths, 405, 406, 415 and the framework's own 400s, in the same shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(failure);
        }
        if (status == 400) {
            return unreadableBody();
        }
        Response.StatusType type = failure.getResponse().getStatusInfo();
        String code = type.getReasonPhrase().toUpperCase(Locale.ROOT).replace(' ', '_');
        return problem(status, code, type.getReasonPhrase(), frameworkDetail(type), Map.of(), null);
    }

    /**
     * The detail of a refusal the framework decides. Never its exception's message: that names its
     * internals ("did not match the value in @Consumes"), which tell a caller nothing.
     */
    static String frameworkDetail(Response.StatusType type) {
        return switch (type.getStatusCode()) {
            case 404 -> "Nothing is served at this path.";
            case 405 -> "This path does not take this method.";
            case 406 ->
                    "This endpoint answers application/json (problems: application/problem+json).";
            case 415 -> UNSUPPORTED_MEDIA_TYPE_DETAIL;
            default -> type.getReasonPhrase() + ".";
        };
    }

    static final String UNSUPPORTED_MEDIA_TYPE_DETAIL =
            "Send the body with a Content-Type this endpoint consumes: application/json (the"
                    + " webhook also takes application/x-www-form-urlencoded).";

    /** A bug. Logged with its trace for us; the caller gets no detail of it. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable failure) {
        LOG.error("unexpected failure", failure);
        return problem(
                500,
                "INTERNAL_ERROR",
                "Internal error",
                "An unexpected error occurred.",
                Map.of(),
                null);
    }

    static Response problem(
            int status,
            String code,
            String title,
            String detail,
            Map<String, Object> extensions,
            Integer retryAfterSeconds) {
        return problem(status, body(status, code, title, detail, extensions), retryAfterSeconds);
    }

    /**
     * The RFC 9457 body; also written by the handlers that answer before JAX-RS ({@link
     * RequestBodyLimit}).
     */
    static Map<String, Object> body(
            int status, String code, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "type", "urn:cancelpay:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        body.putAll(extensions);
        return body;
    }

    private static Response problem(
            int status, Map<String, Object> body, Integer retryAfterSeconds) {
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(body);
        if (retryAfterSeconds != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        return response.build();
    }
}
