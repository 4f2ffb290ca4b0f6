package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import org.junit.jupiter.api.Test;

/** CORS is off unless configured. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class CorsDisabledTest {

    @Test
    void aPreflightFromAnotherOriginGetsNoPermission() {
        given().header("Origin", CorsEnabledTest.SHOP)
                .header("Access-Control-Request-Method", "POST")
                .options("/payments/cancel")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
