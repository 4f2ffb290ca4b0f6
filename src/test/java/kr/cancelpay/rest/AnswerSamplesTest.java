package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.rest.openapi.AnswerExamples;
import kr.cancelpay.rest.openapi.ProblemExamples;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * One real exchange for every answer and the usual problems, written to {@code
 * target/answer-samples.md} (the README's "Sample answers" and the OpenAPI document's examples are
 * copied from it). Each documented example must have exactly the fields of its real answer, so the
 * examples cannot drift from the shape the service answers.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class AnswerSamplesTest extends RefundTestBase {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Each sample below and the example the OpenAPI document shows for it. */
    private static final Map<String, String> DOCUMENTED =
            Map.ofEntries(
                    Map.entry("POST /payments/cancel 200", AnswerExamples.REFUNDED),
                    Map.entry("POST /payments/cancel 202", AnswerExamples.PENDING),
                    Map.entry(
                            "GET /payments/{merchant_uid}/refunds/{refund_id} 200",
                            AnswerExamples.REFUNDED),
                    Map.entry("GET /payments/{merchant_uid} 200", AnswerExamples.PAYMENT),
                    Map.entry("400 VALIDATION_FAILED", ProblemExamples.VALIDATION_FAILED),
                    Map.entry(
                            "400 REFUND_ACCOUNT_REQUIRED", ProblemExamples.REFUND_ACCOUNT_REQUIRED),
                    Map.entry("401 UNAUTHENTICATED", ProblemExamples.UNAUTHENTICATED),
                    Map.entry("403 FORBIDDEN", ProblemExamples.FORBIDDEN),
                    Map.entry("404 PAYMENT_NOT_FOUND", ProblemExamples.PAYMENT_NOT_FOUND),
                    Map.entry("404 REFUND_NOT_FOUND", ProblemExamples.REFUND_NOT_FOUND),
                    Map.entry("409 ALREADY_FULLY_REFUNDED", ProblemExamples.ALREADY_FULLY_REFUNDED),
                    Map.entry(
                            "409 AMOUNT_EXCEEDS_CANCELABLE",
                            ProblemExamples.AMOUNT_EXCEEDS_CANCELABLE),
                    Map.entry("409 REFUND_IN_PROGRESS", ProblemExamples.REFUND_IN_PROGRESS),
                    Map.entry("422 IDEMPOTENCY_KEY_REUSED", ProblemExamples.IDEMPOTENCY_KEY_REUSED),
                    Map.entry("422 PG_REJECTED", ProblemExamples.PG_REJECTED),
                    Map.entry("415 UNSUPPORTED_MEDIA_TYPE", ProblemExamples.UNSUPPORTED_MEDIA_TYPE),
                    Map.entry("413 PAYLOAD_TOO_LARGE", ProblemExamples.PAYLOAD_TOO_LARGE),
                    Map.entry("503 PG_UNAVAILABLE", ProblemExamples.PG_UNAVAILABLE));

    private final Map<String, String> samples = new LinkedHashMap<>();

    @Test
    void everyAnswerAndProblemHasTheShapeOfItsDocumentedExample() throws Exception {
        givenPayment("order-1001", "card", 10000);
        givenPayment("order-1003", "vbank", 30000);
        givenPayment("order-1004", "trans", 12000);
        givenPayment("order-1005", "card", 8000);

        Map<String, Object> partial =
                Map.of(
                        "merchant_uid",
                        "order-1001",
                        "cancel_request_amount",
                        3000,
                        "reason",
                        "단순변심");
        String key = "8e03978e-40d5-43e8-bc93-6894a57f9324";
        Response refunded = sample("POST /payments/cancel 200", cancel(partial, key), 200);
        Response replayed =
                sample(
                        "POST /payments/cancel 200 (replay, same Idempotency-Key)",
                        cancel(partial, key),
                        200);
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals(
                refunded.asString(),
                replayed.asString(),
                "the replay is the first answer, as kept");
        String refundId = refunded.path("refund.refund_id");

        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.executeThenHang(
                        Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 4L)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        Response pending =
                sample(
                        "POST /payments/cancel 202",
                        cancel(
                                refund("order-1004", 4000, "파손"),
                                "0b6f1c52-2d4e-4a8e-9a43-3f1f4c1f2a77"),
                        202);
        assertTrue(pending.header("Location").endsWith(pending.path("refund.refund_id")));

        sample(
                "GET /payments/{merchant_uid}/refunds/{refund_id} 200",
                reader().get("/payments/order-1001/refunds/" + refundId),
                200);
        sample("GET /payments/{merchant_uid} 200", reader().get("/payments/order-1001"), 200);

        sample(
                "400 VALIDATION_FAILED",
                writer().body(
                                "{\"merchant_uid\":\"order-1001\",\"cancel_request_amount\":10.5,"
                                        + "\"reason\":\"\"}")
                        .post("/payments/cancel"),
                400);
        sample(
                "400 REFUND_ACCOUNT_REQUIRED",
                cancel(Map.of("merchant_uid", "order-1003", "reason", "환불"), null),
                400);
        sample(
                "401 UNAUTHENTICATED",
                given().contentType(ContentType.JSON).body(partial).post("/payments/cancel"),
                401);
        sample(
                "403 FORBIDDEN",
                given().auth()
                        .oauth2(TestJwt.reader())
                        .contentType(ContentType.JSON)
                        .body(partial)
                        .post("/payments/cancel"),
                403);
        sample(
                "404 PAYMENT_NOT_FOUND",
                cancel(Map.of("merchant_uid", "order-9", "reason", "x"), null),
                404);
        sample("404 REFUND_NOT_FOUND", reader().get("/payments/order-1001/refunds/rf_x"), 404);
        cancel(Map.of("merchant_uid", "order-1005", "reason", "x"), null).then().statusCode(200);
        sample(
                "409 ALREADY_FULLY_REFUNDED",
                cancel(Map.of("merchant_uid", "order-1005", "reason", "x"), null),
                409);
        sample("409 AMOUNT_EXCEEDS_CANCELABLE", cancel(refund("order-1001", 9000, "x"), null), 409);
        givenLockHeldBy("order-1003", "another-request", Instant.now().plusSeconds(60));
        sample(
                "409 REFUND_IN_PROGRESS",
                cancel(Map.of("merchant_uid", "order-1003", "reason", "x"), null),
                409);
        sample("422 IDEMPOTENCY_KEY_REUSED", cancel(refund("order-1001", 1000, "단순변심"), key), 422);
        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.answer("{\"code\":1,\"message\":\"이미 전액취소된 주문입니다.\",\"response\":null}"));
        sample("422 PG_REJECTED", cancel(refund("order-1001", 1000, "x"), null), 422);
        sample(
                "415 UNSUPPORTED_MEDIA_TYPE",
                given().auth()
                        .oauth2(TestJwt.writer())
                        .contentType(ContentType.TEXT)
                        .body("merchant_uid=order-1001")
                        .post("/payments/cancel"),
                415);
        sampleTooLarge();
        int port = chaiPort.port();
        chaiPort.stop();
        try {
            sample("503 PG_UNAVAILABLE", cancel(refund("order-1001", 1000, "x"), null), 503);
        } finally {
            chaiPort.start(port);
        }

        writeSamples();
        for (Map.Entry<String, String> documented : DOCUMENTED.entrySet()) {
            assertSameFields(documented.getValue(), documented.getKey());
        }
    }

    private static io.restassured.specification.RequestSpecification reader() {
        return given().auth().oauth2(TestJwt.reader());
    }

    private static io.restassured.specification.RequestSpecification writer() {
        return given().auth().oauth2(TestJwt.writer()).contentType(ContentType.JSON);
    }

    private static Map<String, Object> refund(String merchantUid, long amount, String reason) {
        return Map.of(
                "merchant_uid", merchantUid, "cancel_request_amount", amount, "reason", reason);
    }

    private static Response cancel(Map<String, ?> body, String idempotencyKey) {
        io.restassured.specification.RequestSpecification request = writer().body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/payments/cancel");
    }

    private Response sample(String name, Response response, int status) throws IOException {
        assertEquals(status, response.statusCode(), name + ": " + response.asString());
        StringBuilder text =
                new StringBuilder("HTTP ")
                        .append(status)
                        .append("\nContent-Type: ")
                        .append(response.contentType());
        for (String header :
                new String[] {
                    "Location", "Retry-After", "Idempotent-Replayed", "WWW-Authenticate"
                }) {
            if (response.header(header) != null) {
                text.append('\n').append(header).append(": ").append(response.header(header));
            }
        }
        samples.put(name, text + "\n\n" + pretty(response.asString()));
        return response;
    }

    /** A body over 64 KiB: sent with the JDK's client, as the service closes the connection. */
    private void sampleTooLarge() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String body = "{\"merchant_uid\":\"order-1001\",\"reason\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> response =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://localhost:"
                                                                + port
                                                                + "/payments/cancel"))
                                        .header("Authorization", "Bearer " + TestJwt.writer())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        samples.put(
                "413 PAYLOAD_TOO_LARGE",
                "HTTP 413\nContent-Type: "
                        + response.headers().firstValue("Content-Type").orElse("")
                        + "\n\n"
                        + pretty(response.body()));
    }

    private static String pretty(String body) throws IOException {
        return JSON.writeValueAsString(JSON.readTree(body));
    }

    private void writeSamples() throws IOException {
        StringBuilder out = new StringBuilder();
        samples.forEach(
                (name, text) ->
                        out.append("### ")
                                .append(name)
                                .append("\n\n```\n")
                                .append(text)
                                .append("\n```\n\n"));
        Files.writeString(Path.of("target", "answer-samples.md"), out);
        System.out.println(out);
    }

    /** The documented example names exactly the fields of the real answer, nested ones too. */
    private void assertSameFields(String example, String sample) throws IOException {
        String text = samples.get(sample);
        JsonNode real = JSON.readTree(text.substring(text.indexOf("\n\n") + 2));
        assertEquals(
                fields(JSON.readTree(example), ""),
                fields(real, ""),
                "the documented example of " + sample + " has other fields than a real answer");
    }

    private static TreeSet<String> fields(JsonNode node, String prefix) {
        TreeSet<String> names = new TreeSet<>();
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            field -> {
                                names.add(prefix + field.getKey());
                                names.addAll(
                                        fields(field.getValue(), prefix + field.getKey() + "."));
                            });
        } else if (node.isArray()) {
            node.forEach(element -> names.addAll(fields(element, prefix + "[].")));
        }
        return names;
    }
}
