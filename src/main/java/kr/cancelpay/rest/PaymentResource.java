package kr.cancelpay.rest;

import static kr.cancelpay.rest.ProblemMapper.PROBLEM_JSON;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import kr.cancelpay.rest.openapi.AnswerExamples;
import kr.cancelpay.rest.openapi.CancelPayApi;
import kr.cancelpay.rest.openapi.ProblemDocument;
import kr.cancelpay.rest.openapi.ProblemExamples;
import kr.cancelpay.security.Roles;
import kr.cancelpay.service.PaymentSyncService;
import kr.cancelpay.service.PaymentView;
import kr.cancelpay.service.RefundAnswer;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code GET /payments/{merchant_uid}}: a stored payment with its refunds and any pending refund.
 */
@Path("/payments/{merchant_uid}")
@Tag(name = "payments", description = "Stored payments and the refund ledger, read-only")
public class PaymentResource {

    private final PaymentSyncService payments;

    PaymentResource(PaymentSyncService payments) {
        this.payments = payments;
    }

    @GET
    @RolesAllowed(Roles.REFUNDS_READ)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @Operation(
            operationId = "getPayment",
            summary = "A stored payment with its refunds",
            description =
                    "Needs group refunds:read. The payment's figures (ChaiPort's, as last synced) and every refund of "
                            + "the order in the ledger, newest first, with its state: this alone answers what happened to a refund.")
    @SecurityRequirement(name = CancelPayApi.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "The payment's figures and its refunds, newest first",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PaymentView.class),
                            examples =
                                    @ExampleObject(
                                            name = "payment",
                                            value = AnswerExamples.PAYMENT)))
    @APIResponse(
            responseCode = "401",
            description = "UNAUTHENTICATED",
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
            description = "FORBIDDEN: the token lacks refunds:read",
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
            responseCode = "503",
            description = "STORE_UNAVAILABLE",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "STORE_UNAVAILABLE",
                                            value = ProblemExamples.STORE_UNAVAILABLE)))
    public Uni<PaymentView> payment(@RestPath("merchant_uid") String merchantUid) {
        return payments.view(merchantUid);
    }

    @GET
    @Path("/refunds/{refund_id}")
    @RolesAllowed(Roles.REFUNDS_READ)
    @Produces({MediaType.APPLICATION_JSON, PROBLEM_JSON})
    @Operation(
            operationId = "getRefund",
            summary = "One refund of the order, as the ledger has it",
            description =
                    "Needs group refunds:read. Poll it after a 202 until status is SUCCEEDED or FAILED.")
    @SecurityRequirement(name = CancelPayApi.BEARER)
    @APIResponse(
            responseCode = "200",
            description =
                    "The refund and its payment's figures as stored now: the same shape as the cancel's 200 and 202",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RefundAnswer.class),
                            examples =
                                    @ExampleObject(
                                            name = "SUCCEEDED",
                                            value = AnswerExamples.REFUNDED)))
    @APIResponse(
            responseCode = "401",
            description = "UNAUTHENTICATED",
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
            description = "FORBIDDEN: the token lacks refunds:read",
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
            description =
                    "REFUND_NOT_FOUND (no such refund of the order), or PAYMENT_NOT_FOUND (the order's row is gone)",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples = {
                                @ExampleObject(
                                        name = "REFUND_NOT_FOUND",
                                        value = ProblemExamples.REFUND_NOT_FOUND),
                                @ExampleObject(
                                        name = "PAYMENT_NOT_FOUND",
                                        value = ProblemExamples.PAYMENT_NOT_FOUND)
                            }))
    @APIResponse(
            responseCode = "503",
            description = "STORE_UNAVAILABLE",
            content =
                    @Content(
                            mediaType = PROBLEM_JSON,
                            schema = @Schema(implementation = ProblemDocument.class),
                            examples =
                                    @ExampleObject(
                                            name = "STORE_UNAVAILABLE",
                                            value = ProblemExamples.STORE_UNAVAILABLE)))
    public Uni<RefundAnswer> refund(
            @RestPath("merchant_uid") String merchantUid, @RestPath("refund_id") String refundId) {
        return payments.refund(merchantUid, refundId);
    }
}
