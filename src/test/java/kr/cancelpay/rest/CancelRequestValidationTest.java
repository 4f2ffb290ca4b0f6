package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.stream.Stream;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule: a 400 VALIDATION_FAILED naming the field, and nothing touched anywhere.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class CancelRequestValidationTest extends RefundTestBase {

    private static final String LONG_41 = "x".repeat(41);
    private static final String LONG_257 = "가".repeat(257);

    @BeforeEach
    void anOrderThatCouldBeRefunded() {
        givenPayment("order-v", "card", 10000);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("merchant_uid missing", "{\"reason\":\"x\"}", "merchant_uid"),
                Arguments.of(
                        "merchant_uid blank",
                        "{\"merchant_uid\":\"  \",\"reason\":\"x\"}",
                        "merchant_uid"),
                Arguments.of(
                        "merchant_uid empty",
                        "{\"merchant_uid\":\"\",\"reason\":\"x\"}",
                        "merchant_uid"),
                Arguments.of(
                        "merchant_uid too long",
                        "{\"merchant_uid\":\"" + LONG_41 + "\",\"reason\":\"x\"}",
                        "merchant_uid"),
                Arguments.of(
                        "merchant_uid a number",
                        "{\"merchant_uid\":12,\"reason\":\"x\"}",
                        "merchant_uid"),
                Arguments.of("reason missing", "{\"merchant_uid\":\"order-v\"}", "reason"),
                Arguments.of(
                        "reason null", "{\"merchant_uid\":\"order-v\",\"reason\":null}", "reason"),
                Arguments.of(
                        "reason too long",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"" + LONG_257 + "\"}",
                        "reason"),
                Arguments.of(
                        "amount fractional",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":100.5}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount negative",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":-100}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount zero",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":0}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount a string",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":\"1000\"}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount a boolean",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":true}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount absurdly large",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":1e30}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount beyond a double",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":1e400}",
                        "cancel_request_amount"),
                Arguments.of(
                        "amount a fraction a double would round away",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"cancel_request_amount\":1000.00000000000001}",
                        "cancel_request_amount"),
                Arguments.of(
                        "refund_holder alone",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"refund_holder\":\"홍길동\"}",
                        "refund_bank"),
                Arguments.of(
                        "refund_holder too long",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"refund_holder\":\""
                                + "가".repeat(17)
                                + "\",\"refund_bank\":\"04\",\"refund_account\":\"123\"}",
                        "refund_holder"),
                Arguments.of(
                        "refund_bank too long",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"refund_holder\":\"홍\","
                                + "\"refund_bank\":\"00004\",\"refund_account\":\"123\"}",
                        "refund_bank"),
                Arguments.of(
                        "refund_account too long",
                        "{\"merchant_uid\":\"order-v\",\"reason\":\"x\",\"refund_holder\":\"홍\","
                                + "\"refund_bank\":\"04\",\"refund_account\":\"12345678901234567\"}",
                        "refund_account"),
                Arguments.of("body an array", "[]", ""),
                Arguments.of("body a string", "\"refund please\"", ""),
                Arguments.of("malformed JSON", "{\"merchant_uid\":\"order-v\",\"reason\":", ""),
                Arguments.of("not JSON at all", "merchant_uid=order-v", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidRequestsAre400WithTheFieldNamed(String description, String body, String field) {
        postCancel(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", hasItem(field));

        assertNothingHappened();
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        postCancel("{\"merchant_uid\":\"\",\"reason\":7,\"cancel_request_amount\":-1}")
                .statusCode(400)
                .body("errors.field", hasItem("merchant_uid"))
                .body("errors.field", hasItem("reason"))
                .body("errors.field", hasItem("cancel_request_amount"));
        assertNothingHappened();
    }

    @Test
    void anEmptyBodyIs400() {
        given().auth()
                .oauth2(TestJwt.writer())
                .contentType(ContentType.JSON)
                .when()
                .post("/payments/cancel")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"));
        assertNothingHappened();
    }

    @Test
    void aWrongContentTypeIs415AsAProblem() {
        given().auth()
                .oauth2(TestJwt.writer())
                .contentType(ContentType.TEXT)
                .body("merchant_uid=order-v")
                .when()
                .post("/payments/cancel")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
        assertNothingHappened();
    }

    private void assertNothingHappened() {
        assertTrue(chaiPort.calls().isEmpty(), "ChaiPort was called: " + chaiPort.calls());
        Document row = stored("order-v");
        assertEquals(0, number(row, "cancel_amount"));
        assertOrderFree(row);
    }
}
