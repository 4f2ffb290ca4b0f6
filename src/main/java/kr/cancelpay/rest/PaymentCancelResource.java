package kr.cancelpay.rest;

import static kr.cancelpay.rest.ProblemMapper.PROBLEM_JSON;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import kr.cancelpay.rest.openapi.CancelPayApi;
import kr.cancelpay.rest.openapi.CancelRequestDocument;
import kr.cancelpay.rest.openapi.ProblemDocument;
import kr.cancelpay.rest.openapi.ProblemExamples;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.RefundResult;
import kr.cancelpay.service.RefundService;

/** {@code POST /payments/cancel}: HTTP in, {@link RefundService} call, HTTP out. */
@Path("/payments/cancel")
@Tag(name = "refunds")
public class PaymentCancelResource {

    private final RefundService refunds;

    PaymentCancelResource(RefundService refunds) {
        this.refunds = refunds;
    }

    /**
     * The body is read as a JSON tree so that every field error (a string where a number belongs,
     * a fraction of a won) is reported by name instead of failing on the first one.
     */
    @POST
    @RolesAllowed(Roles.REFUNDS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.APPLICATION_JSON, PROBLEM_JSON })
    @Operation(summary = "Refund (cancel) a payment, fully or partly",
            description = "Needs group refunds:write. Sends ChaiPort an explicit amount and checksum = the cancelable balance; "
                    + "never sends a cancel again before ChaiPort confirmed the previous one did not happen.")
    @SecurityRequirement(name = CancelPayApi.BEARER)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CancelRequestDocument.class),
            examples = @ExampleObject(name = "partial", value = "{\"merchant_uid\":\"order-1001\",\"cancel_request_amount\":3000,\"reason\":\"단순변심\"}")))
    @APIResponse(responseCode = "200", description = "Refunded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RefundResult.Refunded.class)))
    @APIResponse(responseCode = "202", description = "Sent, outcome unknown and not settled yet: do not resend",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RefundResult.Pending.class)))
    @APIResponse(responseCode = "400", description = "VALIDATION_FAILED or REFUND_ACCOUNT_REQUIRED",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class), examples = {
                    @ExampleObject(name = "VALIDATION_FAILED", value = ProblemExamples.VALIDATION_FAILED),
                    @ExampleObject(name = "REFUND_ACCOUNT_REQUIRED", value = ProblemExamples.REFUND_ACCOUNT_REQUIRED) }))
    @APIResponse(responseCode = "401", description = "UNAUTHENTICATED: no or invalid bearer token",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "UNAUTHENTICATED", value = ProblemExamples.UNAUTHENTICATED)))
    @APIResponse(responseCode = "403", description = "FORBIDDEN: the token lacks refunds:write",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "FORBIDDEN", value = ProblemExamples.FORBIDDEN)))
    @APIResponse(responseCode = "404", description = "PAYMENT_NOT_FOUND",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "PAYMENT_NOT_FOUND", value = ProblemExamples.PAYMENT_NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "ALREADY_FULLY_REFUNDED, AMOUNT_EXCEEDS_CANCELABLE, REFUND_IN_PROGRESS "
            + "(Retry-After) or PAYMENT_RECORD_INVALID",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class), examples = {
                    @ExampleObject(name = "ALREADY_FULLY_REFUNDED", value = ProblemExamples.ALREADY_FULLY_REFUNDED),
                    @ExampleObject(name = "AMOUNT_EXCEEDS_CANCELABLE", value = ProblemExamples.AMOUNT_EXCEEDS_CANCELABLE),
                    @ExampleObject(name = "REFUND_IN_PROGRESS", value = ProblemExamples.REFUND_IN_PROGRESS) }))
    @APIResponse(responseCode = "422", description = "PG_REJECTED: ChaiPort answered code != 0; nothing was executed",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "PG_REJECTED", value = ProblemExamples.PG_REJECTED)))
    @APIResponse(responseCode = "503", description = "PG_UNAVAILABLE (certainly not executed) or STORE_UNAVAILABLE; Retry-After",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemDocument.class), examples = {
                    @ExampleObject(name = "PG_UNAVAILABLE", value = ProblemExamples.PG_UNAVAILABLE),
                    @ExampleObject(name = "STORE_UNAVAILABLE", value = ProblemExamples.STORE_UNAVAILABLE) }))
    public Uni<RestResponse<RefundResult>> cancel(JsonNode body) {
        return refunds.refund(CancelRequests.parse(body))
                .map(result -> result instanceof RefundResult.Pending
                        ? RestResponse.status(RestResponse.Status.ACCEPTED, result)
                        : RestResponse.ok(result));
    }
}
