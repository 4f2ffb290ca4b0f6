package kr.cancelpay.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;

/** What an operator watches: the three probes and the Prometheus meters, moving with real refunds. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ObservabilityTest extends RefundTestBase {

    @Test
    void probesAreUpAndReadinessCoversMongoDbAndReportsTheBreakers() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("MongoDB")))
                .body("checks.find { it.name == 'chaiport-circuit-breakers' }.data.chaiport-cancel", equalTo("CLOSED"));
    }

    @Test
    void readinessFailsWhileMongoDbIsDownAndLivenessDoesNot() {
        embeddedMongo.stop();
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            embeddedMongo.restart();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void refundsMoveTheCountersAndChaiPortCallsAreTimed() {
        givenPayment("order-metrics", "card", 10000);
        double refundedBefore = metric("cancelpay_refunds_total\\{outcome=\"refunded\"}");
        double wonBefore = metric("cancelpay_refunded_amount_won_total");
        double fullyBefore = metric("cancelpay_refunds_total\\{outcome=\"already_fully_refunded\"}");
        double cancelCallsBefore = metric("cancelpay_chaiport_requests_seconds_count\\{endpoint=\"cancel\",result=\"success\"}");

        postCancel(Map.of("merchant_uid", "order-metrics", "reason", "x")).statusCode(200);
        postCancel(Map.of("merchant_uid", "order-metrics", "reason", "x")).statusCode(409);

        assertEquals(refundedBefore + 1, metric("cancelpay_refunds_total\\{outcome=\"refunded\"}"));
        assertEquals(wonBefore + 10000, metric("cancelpay_refunded_amount_won_total"));
        assertEquals(fullyBefore + 1, metric("cancelpay_refunds_total\\{outcome=\"already_fully_refunded\"}"));
        assertEquals(cancelCallsBefore + 1,
                metric("cancelpay_chaiport_requests_seconds_count\\{endpoint=\"cancel\",result=\"success\"}"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("cancelpay_chaiport_requests_seconds{endpoint=\"cancel\",result=\"success\",quantile=\"0.95\"}"),
                "latency percentiles");
        assertTrue(metrics.contains("cancelpay_chaiport_token_fetches_total"));
        assertTrue(metrics.contains("ft_circuitbreaker_state_total") || metrics.contains("ft_circuitbreaker_state_current"),
                "fault-tolerance metrics (breaker state, retries) are published");
        assertEquals(1, chaiPort.calls(Endpoint.CANCEL).size());
        assertStoredEqualsChaiPort("order-metrics");
    }

    /** The value of one Prometheus sample, 0 when it is not there yet. */
    private static double metric(String nameAndLabelsRegex) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("(?m)^" + nameAndLabelsRegex + " ([0-9.eE+-]+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
