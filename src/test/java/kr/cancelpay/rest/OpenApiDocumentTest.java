package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document names every answer of the error table, with the problem schema and the
 * security scheme.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class OpenApiDocumentTest {

    @Test
    void theCancelOperationDocumentsEveryStatusWithAProblemSchema() {
        ValidatableResponse openApi =
                given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        String cancel = "paths.'/payments/cancel'.post";
        for (String status :
                new String[] {
                    "200", "202", "400", "401", "403", "404", "409", "413", "415", "422", "500",
                    "503"
                }) {
            openApi.body(cancel + ".responses", hasKey(status));
        }
        for (String status :
                new String[] {
                    "400", "401", "403", "404", "409", "413", "415", "422", "500", "503"
                }) {
            openApi.body(
                    cancel
                            + ".responses.'"
                            + status
                            + "'.content.'application/problem+json'.schema.$ref",
                    equalTo("#/components/schemas/Problem"));
        }
        openApi.body(
                        cancel + ".responses.'409'.content.'application/problem+json'.examples",
                        hasKey("ALREADY_FULLY_REFUNDED"))
                .body(
                        cancel + ".requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/CancelRequest"))
                .body(cancel + ".security[0]", hasKey("bearer-jwt"))
                .body("components.securitySchemes.bearer-jwt.scheme", equalTo("bearer"))
                .body("components.schemas.Problem.properties.code.enum", notNullValue())
                .body("paths.'/payments/{merchant_uid}'.get.responses", hasKey("403"))
                .body("paths.'/webhooks/chaiport'.post.security", empty())
                .body("paths", not(hasKey("/dev/token")))
                // Built into the tests too (the refund page's browser test), but no part of the
                // API.
                .body("paths", not(hasKey("/dev/sample-orders")));
    }

    /** What client generators and the contract tests (testsupport/OpenApiContract) rely on. */
    @Test
    void everyOperationIsNamedAndEverySchemaIsTheApisOwn() {
        ValidatableResponse openApi =
                given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        openApi.body("openapi", equalTo("3.0.3"))
                .body("paths.'/payments/cancel'.post.operationId", equalTo("cancelPayment"))
                .body("paths.'/payments/{merchant_uid}'.get.operationId", equalTo("getPayment"))
                .body(
                        "paths.'/payments/{merchant_uid}/refunds/{refund_id}'.get.operationId",
                        equalTo("getRefund"))
                .body(
                        "paths.'/webhooks/chaiport'.post.operationId",
                        equalTo("receiveChaiPortNotification"))
                .body("tags.description", everyItem(notNullValue()))
                .body("servers.url", contains("/"))
                // Jackson's JsonNode bean was once the webhook's body; no class shares a schema
                // name.
                .body(
                        "components.schemas.keySet()",
                        containsInAnyOrder(
                                "CancelRequest",
                                "ChaiPortNotification",
                                "FieldError",
                                "MaskedRefundAccount",
                                "PaymentFigures",
                                "PaymentView",
                                "Problem",
                                "RefundAnswer",
                                "RefundAttempt",
                                "RefundCancellation",
                                "RefundFailure",
                                "RefundView",
                                "WebhookReceipt"))
                .body("components.securitySchemes.keySet()", contains("bearer-jwt"));
        for (String mediaType :
                new String[] {"application/json", "application/x-www-form-urlencoded"}) {
            openApi.body(
                    "paths.'/webhooks/chaiport'.post.requestBody.content.'"
                            + mediaType
                            + "'.schema.$ref",
                    equalTo("#/components/schemas/ChaiPortNotification"));
        }
        openApi.body(
                        "components.schemas.ChaiPortNotification.properties.keySet()",
                        containsInAnyOrder("imp_uid", "merchant_uid", "status", "cancellation_id"))
                // Answered as null when ChaiPort or the stored row has none: generated clients must
                // allow it.
                .body("components.schemas.PaymentFigures.properties.status.nullable", equalTo(true))
                .body(
                        "components.schemas.PaymentFigures.properties.paid_amount.nullable",
                        equalTo(true))
                .body("paths.'/payments/cancel'.post.responses.'202'.headers", hasKey("Location"))
                .body("paths.'/payments/cancel'.post.parameters.name", contains("Idempotency-Key"));
    }

    /**
     * One shape names its amounts: the cancel's 200 and 202 and the refund's poll answer {refund,
     * payment}; the payment's read {payment, refunds}. Each shows a sample answer.
     */
    @Test
    void everyAnswerHasItsNamedShapeAndASample() {
        ValidatableResponse openApi =
                given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        String[] refundAnswers = {
            "paths.'/payments/cancel'.post.responses.'200'",
            "paths.'/payments/cancel'.post.responses.'202'",
            "paths.'/payments/{merchant_uid}/refunds/{refund_id}'.get.responses.'200'"
        };
        for (String answer : refundAnswers) {
            openApi.body(
                            answer + ".content.'application/json'.schema.$ref",
                            equalTo("#/components/schemas/RefundAnswer"))
                    .body(answer + ".content.'application/json'.examples.size()", equalTo(1));
        }
        String payment = "paths.'/payments/{merchant_uid}'.get.responses.'200'";
        openApi.body(
                        payment + ".content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/PaymentView"))
                .body(payment + ".content.'application/json'.examples.size()", equalTo(1))
                .body(
                        "components.schemas.RefundAnswer.properties.keySet()",
                        containsInAnyOrder("refund", "payment"))
                .body(
                        "components.schemas.PaymentView.properties.keySet()",
                        containsInAnyOrder("payment", "refunds"))
                .body(
                        "components.schemas.PaymentFigures.properties.keySet()",
                        containsInAnyOrder(
                                "merchant_uid",
                                "imp_uid",
                                "pay_method",
                                "paid_amount",
                                "cancel_amount",
                                "cancelable_amount",
                                "status",
                                "pending_refund_id"));
    }

    @Test
    void theDocumentCarriesNoSecret() {
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(
                        not(
                                containsString(
                                        kr.cancelpay.testsupport.ChaiPortSandboxResource
                                                .IMP_SECRET)));
    }
}
