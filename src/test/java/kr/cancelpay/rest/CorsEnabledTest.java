package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import org.junit.jupiter.api.Test;

/** With CORS turned on for the merchant's admin origin, that origin only may call. */
@QuarkusTest
@TestProfile(CorsEnabledTest.AdminOrigin.class)
class CorsEnabledTest {

    static final String SHOP = "https://admin.shop.example";

    public static class AdminOrigin extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.http.cors.enabled", "true");
            overrides.put("quarkus.http.cors.origins", SHOP);
            return overrides;
        }
    }

    @Test
    void theConfiguredOriginMayCallWithABearerToken() {
        given().header("Origin", SHOP)
                .header("Access-Control-Request-Method", "POST")
                .header(
                        "Access-Control-Request-Headers",
                        "authorization,content-type,idempotency-key")
                .options("/payments/cancel")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(SHOP))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
    }

    @Test
    void anotherOriginMayNot() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/payments/cancel")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
