package kr.cancelpay.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches: the three probes and the Prometheus meters, moving with real refunds,
 * on the management port only.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ObservabilityTest extends RefundTestBase {

    @Test
    void probesAreUpAndReadinessCoversMongoDbAndReportsTheBreakers() {
        management
                .given()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        management
                .given()
                .get("/q/health/started")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        management
                .given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("MongoDB")))
                .body(
                        "checks.find { it.name == 'chaiport-circuit-breakers' }.data.chaiport-cancel",
                        equalTo("CLOSED"));
    }

    @Test
    void thePublicPortServesNeitherHealthNorMetrics() {
        for (String path :
                List.of(
                        "/q/health",
                        "/q/health/live",
                        "/q/health/ready",
                        "/q/health/started",
                        "/q/metrics")) {
            given().get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("code", equalTo("NOT_FOUND"));
            management.given().get(path).then().statusCode(200);
        }
    }

    @Test
    void theManagementPortServesNeitherTheApiNorTheOpenApiDocument() {
        givenPayment("order-mgmt", "card", 10000);
        given().auth().oauth2(TestJwt.reader()).get("/payments/order-mgmt").then().statusCode(200);
        management
                .given()
                .auth()
                .oauth2(TestJwt.reader())
                .get("/payments/order-mgmt")
                .then()
                .statusCode(404);
        management.given().get("/q/openapi").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void readinessFailsWhileMongoDbIsDownAndLivenessDoesNot() {
        embeddedMongo.stop();
        try {
            management
                    .given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"));
            management.given().get("/q/health/live").then().statusCode(200);
        } finally {
            embeddedMongo.restart();
        }
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(
                        () -> management.given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void refundsMoveTheCountersAndChaiPortCallsAreTimed() {
        givenPayment("order-metrics", "card", 10000);
        double refundedBefore = metric("cancelpay_refunds_total\\{outcome=\"refunded\"}");
        double wonBefore = metric("cancelpay_refunded_amount_won_total");
        double fullyBefore =
                metric("cancelpay_refunds_total\\{outcome=\"already_fully_refunded\"}");
        double cancelCallsBefore =
                metric(
                        "cancelpay_chaiport_requests_seconds_count\\{endpoint=\"cancel\",result=\"success\"}");

        postCancel(Map.of("merchant_uid", "order-metrics", "reason", "x")).statusCode(200);
        postCancel(Map.of("merchant_uid", "order-metrics", "reason", "x")).statusCode(409);

        assertEquals(refundedBefore + 1, metric("cancelpay_refunds_total\\{outcome=\"refunded\"}"));
        assertEquals(wonBefore + 10000, metric("cancelpay_refunded_amount_won_total"));
        assertEquals(
                fullyBefore + 1,
                metric("cancelpay_refunds_total\\{outcome=\"already_fully_refunded\"}"));
        assertEquals(
                cancelCallsBefore + 1,
                metric(
                        "cancelpay_chaiport_requests_seconds_count\\{endpoint=\"cancel\",result=\"success\"}"));
        String metrics =
                management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(
                metrics.contains(
                        "cancelpay_chaiport_requests_seconds{endpoint=\"cancel\",result=\"success\",quantile=\"0.95\"}"),
                "latency percentiles");
        assertTrue(metrics.contains("cancelpay_chaiport_token_fetches_total"));
        assertTrue(
                metrics.contains("ft_circuitbreaker_state_total")
                        || metrics.contains("ft_circuitbreaker_state_current"),
                "fault-tolerance metrics (breaker state, retries) are published");
        assertEquals(1, chaiPort.calls(Endpoint.CANCEL).size());
        assertStoredEqualsChaiPort("order-metrics");
    }

    private double metric(String nameAndLabelsRegex) {
        return management.metric(nameAndLabelsRegex);
    }
}
