package kr.cancelpay.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 is off ({@code quarkus.http.http2=false}) because JAX-RS cannot take an HTTP/2 body read
 * before it. Should an operator turn it on, refunds must still work, and a body announced over the
 * limit is still a 413 problem.
 */
@QuarkusTest
@TestProfile(StrictInputHttp2Test.Http2On.class)
class StrictInputHttp2Test extends RefundTestBase {

    public static class Http2On extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.http.http2", "true");
            return overrides;
        }
    }

    private static final String ORDER = "order-h2";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JDK client's default: HTTP/2, by an h2c upgrade on plain HTTP. */
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void anOrderAndAnHttp2Connection() throws Exception {
        givenPayment(ORDER, "card", 10000);
        // The upgrade happens on a first request; the POSTs then travel as HTTP/2 streams.
        HttpResponse<String> read =
                http.send(
                        request("/payments/" + ORDER, TestJwt.reader()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, read.version());
    }

    @Test
    void aRefundOverHttp2IsExecuted() throws Exception {
        HttpResponse<String> response =
                post("{\"merchant_uid\":\"" + ORDER + "\",\"reason\":\"x\"}");

        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, cancelsSent().size());
        assertEquals("SUCCEEDED", onlyRefund(ORDER).getString("status"));
        assertEquals(10000, number(stored(ORDER), "cancel_amount"));
    }

    @Test
    void aBodyAnnouncedOverTheLimitIsA413Problem() throws Exception {
        HttpResponse<String> response =
                post(
                        "{"
                                + " ".repeat(64 * 1024)
                                + "\"merchant_uid\":\""
                                + ORDER
                                + "\",\"reason\":\"x\"}");

        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                ProblemMapper.PROBLEM_JSON,
                response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("PAYLOAD_TOO_LARGE", JSON.readTree(response.body()).path("code").asText());
        assertTrue(chaiPort.calls().isEmpty());
        assertTrue(ledger(ORDER).isEmpty());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(
                request("/payments/cancel", TestJwt.writer())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }
}
