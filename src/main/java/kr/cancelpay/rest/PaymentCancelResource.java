package kr.cancelpay.rest;

import static kr.cancelpay.rest.ProblemMapper.PROBLEM_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import kr.cancelpay.rest.openapi.AnswerExamples;
import kr.cancelpay.rest.openapi.CancelPayApi;
import kr.cancelpay.rest.openapi.CancelRequestDocument;
import kr.cancelpay.rest.openapi.ProblemDocument;
import kr.cancelpay.rest.openapi.ProblemExamples;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.IdempotentRefunds;
import kr.cancelpay.service.RefundAnswer;
import kr.cancelpay.service.RefundReply;
import kr.cancelpay.service.RefundResult;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

/** {@code POST /payments/cancel}: HTTP in, {@link IdempotentRefunds} call, HTTP out. */
@Path("/payments/cancel")
@Tag(
        name = "refunds",
        description = "Refunding (cancelling) payments through ChaiPort, at most once per request")
public class PaymentCancelResource {

    /** Set on an answer that repeats the first answer to the same Idempotency-Key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final IdempotentRefunds refunds;
    private final Callers callers;

    PaymentCancelResource(IdempotentRefunds refunds, Callers callers) {
        this.refunds = refunds;
        this.callers = callers;
    }

    /**
     * The body is read as a JSON tree so that every field error (a string where a number belongs, a
     * fraction of a won) is reported by name instead of failing on the first one.
     */
    @POST
    @RolesAllowed(Roles.REFUNDS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @Operation(
            operationId = "cancelPayment",
            summary = "Refund (cancel) a payment, fully or partly",
            description =
                    "Needs group refunds:write. Every request without an Idempotency-Key is a new refund: send a key "
                            + "(a UUID per refund action) and repeat it on retries, so a lost answer never refunds twice. "
                            + "Sends ChaiPort an explicit amount and checksum = the cancelable balance; never sends a cancel again "
                            + "before ChaiPort confirmed the previous one did not happen.")
    @SecurityRequirement(name = CancelPayApi.BEARER)
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CancelRequestDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "partial",
                                            value =
                                                    "{\"merchant_uid\":\"order-1001\",\"cancel_request_amount\":3000,\"reason\":\"단순변심\"}")))
    @APIResponse(
            responseCode = "200",
            description =
                    "Refunded: refund.status is SUCCEEDED; payment has the figures right after it "
                            + "(payment.cancel_amount: refunded so far in all; refund.amount: this refund)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RefundAnswer.class),
                            examples =
                                    @ExampleObject(
                                            name = "SUCCEEDED",
                                            value = AnswerExamples.REFUNDED)))
    @APIResponse(
            responseCode = "202",
            description =
                    "Sent, outcome unknown and not settled yet: do not send a new request; "
                            + "poll the refund at the Location header (GET /payments/{merchant_uid}/refunds/{refund_id}) or repeat this "
                            + "request with the same Idempotency-Key",
            headers =
                    @Header(
                            name = "Location",
                            description = "The refund",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RefundAnswer.class),
                            examples =
                                    @ExampleObject(
                                            name = "UNKNOWN",
                                            value = AnswerExamples.PENDING)))
    @APIResponse(
            responseCode = "400",
            description = "VALIDATION_FAILED or REFUND_ACCOUNT_REQUIRED",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "VALIDATION_FAILED",
                                        value = ProblemExamples.VALIDATION_FAILED),
                                @ExampleObject(
                                        name = "REFUND_ACCOUNT_REQUIRED",
                                        value = ProblemExamples.REFUND_ACCOUNT_REQUIRED)
                            }))
    @APIResponse(
            responseCode = "401",
            description = "UNAUTHENTICATED: no or invalid bearer token",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "UNAUTHENTICATED",
                                            value = ProblemExamples.UNAUTHENTICATED)))
    @APIResponse(
            responseCode = "403",
            description = "FORBIDDEN: the token lacks refunds:write",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "FORBIDDEN",
                                            value = ProblemExamples.FORBIDDEN)))
    @APIResponse(
            responseCode = "404",
            description = "PAYMENT_NOT_FOUND",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "PAYMENT_NOT_FOUND",
                                            value = ProblemExamples.PAYMENT_NOT_FOUND)))
    @APIResponse(
            responseCode = "409",
            description =
                    "ALREADY_FULLY_REFUNDED, AMOUNT_EXCEEDS_CANCELABLE, REFUND_IN_PROGRESS "
                            + "(Retry-After), IDEMPOTENCY_KEY_IN_USE (Retry-After: the first request with the key is still running) or "
                            + "PAYMENT_RECORD_INVALID",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "ALREADY_FULLY_REFUNDED",
                                        value = ProblemExamples.ALREADY_FULLY_REFUNDED),
                                @ExampleObject(
                                        name = "AMOUNT_EXCEEDS_CANCELABLE",
                                        value = ProblemExamples.AMOUNT_EXCEEDS_CANCELABLE),
                                @ExampleObject(
                                        name = "REFUND_IN_PROGRESS",
                                        value = ProblemExamples.REFUND_IN_PROGRESS),
                                @ExampleObject(
                                        name = "IDEMPOTENCY_KEY_IN_USE",
                                        value = ProblemExamples.IDEMPOTENCY_KEY_IN_USE)
                            }))
    @APIResponse(
            responseCode = "413",
            description = "PAYLOAD_TOO_LARGE: the body exceeds 64 KiB",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "PAYLOAD_TOO_LARGE",
                                            value = ProblemExamples.PAYLOAD_TOO_LARGE)))
    @APIResponse(
            responseCode = "415",
            description = "UNSUPPORTED_MEDIA_TYPE: no Content-Type, or not application/json",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "UNSUPPORTED_MEDIA_TYPE",
                                            value = ProblemExamples.UNSUPPORTED_MEDIA_TYPE)))
    @APIResponse(
            responseCode = "422",
            description =
                    "PG_REJECTED: ChaiPort answered code != 0, nothing was executed; "
                            + "REFUND_NOT_EXECUTED: an unknown outcome settled as not executed; IDEMPOTENCY_KEY_REUSED: the key was used "
                            + "for another request",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "PG_REJECTED",
                                        value = ProblemExamples.PG_REJECTED),
                                @ExampleObject(
                                        name = "REFUND_NOT_EXECUTED",
                                        value = ProblemExamples.REFUND_NOT_EXECUTED),
                                @ExampleObject(
                                        name = "IDEMPOTENCY_KEY_REUSED",
                                        value = ProblemExamples.IDEMPOTENCY_KEY_REUSED)
                            }))
    @APIResponse(
            responseCode = "500",
            description =
                    "STORE_WRITE_REJECTED: MongoDB refused a write for good; retrying will "
                            + "not help until the stored document is fixed. Never the answer to a refund ChaiPort executed (that is a 200)",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "STORE_WRITE_REJECTED",
                                            value = ProblemExamples.STORE_WRITE_REJECTED)))
    @APIResponse(
            responseCode = "503",
            description =
                    "PG_UNAVAILABLE (certainly not executed) or STORE_UNAVAILABLE; Retry-After",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "PG_UNAVAILABLE",
                                        value = ProblemExamples.PG_UNAVAILABLE),
                                @ExampleObject(
                                        name = "STORE_UNAVAILABLE",
                                        value = ProblemExamples.STORE_UNAVAILABLE)
                            }))
    public Uni<Response> cancel(
            JsonNode body,
            @Parameter(
                            name = IdempotencyKeyHeader.NAME,
                            in = ParameterIn.HEADER,
                            required = false,
                            description =
                                    "Makes a retry safe: 1-255 printable ASCII (a UUID per refund action), bare or quoted. "
                                            + "The same key and body return the first answer (Idempotent-Replayed: true) instead of "
                                            + "refunding again; kept 24 h, scoped to the caller.",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            maxLength = IdempotencyKeyHeader.MAX_LENGTH))
                    @RestHeader(IdempotencyKeyHeader.NAME)
                    String idempotencyKey,
            HttpHeaders headers) {
        // An empty header is a malformed key, not an absent one.
        String key =
                IdempotencyKeyHeader.parse(
                        headers.getRequestHeaders().containsKey(IdempotencyKeyHeader.NAME)
                                ? headers.getHeaderString(IdempotencyKeyHeader.NAME)
                                : null);
        return refunds.refund(CancelRequests.parse(body), key, callers.scope())
                .map(PaymentCancelResource::toResponse);
    }

    private static Response toResponse(RefundReply reply) {
        if (reply instanceof RefundReply.Stored stored) {
            return Response.status(stored.status())
                    .type(
                            stored.status() >= 400
                                    ? ProblemMapper.PROBLEM_JSON
                                    : MediaType.APPLICATION_JSON)
                    .entity(stored.body())
                    .header(REPLAYED, "true")
                    .build();
        }
        RefundReply.Fresh fresh = (RefundReply.Fresh) reply;
        RefundResult result = fresh.result();
        RefundAnswer answer = result.answer();
        Response.ResponseBuilder response =
                Response.status(result instanceof RefundResult.Pending ? 202 : 200)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(answer);
        if (result instanceof RefundResult.Pending) {
            response.location(
                    URI.create(
                            "/payments/"
                                    + encode(answer.refund().merchantUid())
                                    + "/refunds/"
                                    + answer.refund().refundId()));
        }
        if (fresh.replayed()) {
            response.header(REPLAYED, "true");
        }
        return response.build();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
