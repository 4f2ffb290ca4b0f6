package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import kr.cancelpay.testsupport.CancelPayTestProfile;

/** The OpenAPI document names every answer of the error table, with the problem schema and the security scheme. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class OpenApiDocumentTest {

    @Test
    void theCancelOperationDocumentsEveryStatusWithAProblemSchema() {
        ValidatableResponse openApi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
        String cancel = "paths.'/payments/cancel'.post";
        for (String status : new String[] { "200", "202", "400", "401", "403", "404", "409", "413", "415", "422", "500", "503" }) {
            openApi.body(cancel + ".responses", hasKey(status));
        }
        for (String status : new String[] { "400", "401", "403", "404", "409", "413", "415", "422", "500", "503" }) {
            openApi.body(cancel + ".responses.'" + status + "'.content.'application/problem+json'.schema.$ref",
                    equalTo("#/components/schemas/Problem"));
        }
        openApi.body(cancel + ".responses.'409'.content.'application/problem+json'.examples", hasKey("ALREADY_FULLY_REFUNDED"))
                .body(cancel + ".requestBody.content.'application/json'.schema.$ref", equalTo("#/components/schemas/CancelRequest"))
                .body(cancel + ".security[0]", hasKey("bearer-jwt"))
                .body("components.securitySchemes.bearer-jwt.scheme", equalTo("bearer"))
                .body("components.schemas.Problem.properties.code.enum", notNullValue())
                .body("paths.'/payments/{merchant_uid}'.get.responses", hasKey("403"))
                .body("paths.'/webhooks/chaiport'.post.security", equalTo(null))
                .body("paths", not(hasKey("/dev/token")));
    }

    @Test
    void theDocumentCarriesNoSecret() {
        given().get("/q/openapi").then().statusCode(200).body(not(containsString(kr.cancelpay.testsupport.ChaiPortSandboxResource.IMP_SECRET)));
    }
}
