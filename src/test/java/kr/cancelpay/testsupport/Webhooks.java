package kr.cancelpay.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** ChaiPort's notifications as the tests post them, and what the webhook may answer. */
public final class Webhooks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhooks() {}

    /**
     * The webhook's answer when it took the notification: exactly {@code {"received":true}};
     * returns the body.
     */
    public static String assertReceived(ValidatableResponse response) {
        String body = response.statusCode(200).contentType(ContentType.JSON).extract().asString();
        try {
            assertEquals(
                    JSON.readTree("{\"received\":true}"),
                    JSON.readTree(body),
                    "the webhook's answer: " + body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        return body;
    }

    /** 503 WEBHOOK_NOT_SYNCED with Retry-After, and nothing about the order in it. */
    public static void assertNotSynced(ValidatableResponse response, String merchantUid) {
        String body =
                response.statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", equalTo("5"))
                        .body("code", equalTo("WEBHOOK_NOT_SYNCED"))
                        .extract()
                        .asString();
        assertNoPaymentData(body, merchantUid);
    }

    /** A problem body of the five RFC 9457 members only, naming neither the order nor a payment. */
    public static void assertNoPaymentData(String body, String merchantUid) {
        try {
            JsonNode problem = JSON.readTree(body);
            List<String> members = new ArrayList<>();
            problem.fieldNames().forEachRemaining(members::add);
            assertEquals(
                    Set.of("type", "title", "status", "detail", "code"), Set.copyOf(members), body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        assertFalse(
                body.contains(merchantUid) || body.contains("imp_") || body.contains("rf_"), body);
    }

    public static ValidatableResponse webhook(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/webhooks/chaiport").then();
    }

    /** {@code count} webhooks posted at once; the answers in order. */
    public static List<Response> concurrently(int count, IntFunction<Map<String, ?>> body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers =
                    IntStream.range(0, count)
                            .mapToObj(
                                    i ->
                                            pool.submit(
                                                    (Callable<Response>)
                                                            () -> {
                                                                start.await();
                                                                return given().contentType(
                                                                                ContentType.JSON)
                                                                        .body(body.apply(i))
                                                                        .post("/webhooks/chaiport");
                                                            }))
                            .toList();
            start.countDown();
            List<Response> done = new ArrayList<>();
            for (Future<Response> answer : answers) {
                done.add(answer.get());
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }
}
