package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key}: a retried request never refunds twice, and a new request always refunds.
 * Each test checks the answer, the ledger and idempotency keys in MongoDB, and what ChaiPort
 * executed.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class IdempotencyKeyTest extends RefundTestBase {

    private static final Map<String, Object> PARTIAL =
            Map.of("merchant_uid", "order-key", "cancel_request_amount", 1000, "reason", "단순변심");

    @Test
    void aRetryAfterALostAnswerIsAnsweredWithTheFirstAnswerAndNotRefundedAgain() {
        givenPayment("order-key", "card", 10000);

        // The first answer never reaches the caller (a proxy timed out): it only knows it sent the
        // request.
        String first =
                postCancel(PARTIAL, "8e03978e-40d5-43e8-bc93-6894a57f9324")
                        .statusCode(200)
                        .header("Idempotent-Replayed", nullValue())
                        .extract()
                        .asString();

        String retry =
                postCancel(PARTIAL, "8e03978e-40d5-43e8-bc93-6894a57f9324")
                        .statusCode(200)
                        .contentType("application/json")
                        .header("Idempotent-Replayed", "true")
                        .extract()
                        .asString();

        assertEquals(first, retry, "the first answer, replayed byte for byte");
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size());
        Document refund = onlyRefund("order-key");
        assertEquals("SUCCEEDED", refund.getString("status"));
        assertEquals("8e03978e-40d5-43e8-bc93-6894a57f9324", refund.getString("idempotency_key"));
        assertEquals("merchant-backoffice", refund.getString("requested_by"));
        Document key = collection("idempotency_keys").find().first();
        assertEquals(refund.getString("_id"), key.getString("refund_id"));
        assertEquals(200, key.get("answer", Document.class).getInteger("status"));
        assertTrue(
                key.getDate("expires_at")
                        .toInstant()
                        .isAfter(Instant.now().plus(Duration.ofHours(23))),
                "kept >= 24 h");
        assertLedgerAgreesWithChaiPort("order-key");
    }

    /**
     * The kept 200 is the answer's shape, {refund, payment}; one kept before the answers named
     * their amounts (a flat body with "amount", still within its 24 h after an upgrade) is replayed
     * in today's shape, rendered from the ledger, and nothing is sent again.
     */
    @Test
    void aReplayIsAlwaysInTodaysShapeEvenOfAnAnswerKeptInTheOldOne() throws Exception {
        givenPayment("order-key", "card", 10000);
        String refundId =
                postCancel(PARTIAL, "key-old-shape")
                        .statusCode(200)
                        .extract()
                        .path("refund.refund_id");
        Document kept = collection("idempotency_keys").find().first().get("answer", Document.class);
        com.fasterxml.jackson.databind.JsonNode body =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(kept.getString("body"));
        assertEquals(refundId, body.path("refund").path("refund_id").asText(), kept.toJson());
        assertEquals(1000, body.path("refund").path("amount").asLong());
        assertEquals(1000, body.path("payment").path("cancel_amount").asLong());
        assertEquals(10000, body.path("payment").path("paid_amount").asLong());

        String oldShape =
                "{\"merchant_uid\":\"order-key\",\"imp_uid\":\"imp_order-key\",\"refund_id\":\""
                        + refundId
                        + "\",\"amount\":10000,\"cancel_amount\":1000,\"cancelable_amount\":9000,"
                        + "\"status\":\"paid\",\"cancellation\":{\"amount\":1000,\"reason\":\"단순변심\"}}";
        collection("idempotency_keys")
                .updateOne(
                        new Document("refund_id", refundId),
                        new Document("$set", new Document("answer.body", oldShape)));

        postCancel(PARTIAL, "key-old-shape")
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("refund.refund_id", equalTo(refundId))
                .body("refund.status", equalTo("SUCCEEDED"))
                .body("refund.amount", equalTo(1000))
                .body("payment.paid_amount", equalTo(10000))
                .body("payment.cancel_amount", equalTo(1000))
                .body("payment.cancelable_amount", equalTo(9000))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("amount")));
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size());
        assertEquals(1, ledger("order-key").size());
    }

    @Test
    void theDraftsQuotedFormIsTheSameKey() {
        givenPayment("order-key", "card", 10000);
        postCancel(PARTIAL, "\"abc-123\"").statusCode(200);
        postCancel(PARTIAL, "abc-123").statusCode(200).header("Idempotent-Replayed", "true");
        assertEquals(1, chaiPort.executedCancels());
    }

    @Test
    void theSameKeyWithAnotherRequestIs422AndSendsNothing() {
        givenPayment("order-key", "card", 10000);
        postCancel(PARTIAL, "key-1").statusCode(200);

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-key",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "단순변심"),
                        "key-1")
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));

        assertEquals(1, cancelsSent().size());
        assertEquals(1, ledger("order-key").size());
        assertEquals(1000, number(stored("order-key"), "cancel_amount"));
    }

    @Test
    void twentyRequestsWithOneKeyAtOnceRefundOnce() throws Exception {
        givenPayment("order-key", "card", 10000);
        // ChaiPort is slow, so the twenty overlap the first one.
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.latency(Duration.ofMillis(300)));
        String token = TestJwt.writer();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                answers.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return given().auth()
                                            .oauth2(token)
                                            .contentType(ContentType.JSON)
                                            .header("Idempotency-Key", "burst")
                                            .body(PARTIAL)
                                            .post("/payments/cancel");
                                }));
            }
            start.countDown();
            int executed = 0;
            int inUse = 0;
            int replayed = 0;
            for (Future<Response> future : answers) {
                Response answer = future.get();
                if (answer.statusCode() == 200 && answer.header("Idempotent-Replayed") == null) {
                    executed++;
                } else if (answer.statusCode() == 200) {
                    replayed++;
                } else {
                    assertEquals(409, answer.statusCode(), answer.asString());
                    assertEquals("IDEMPOTENCY_KEY_IN_USE", answer.path("code"));
                    assertTrue(answer.header("Retry-After") != null);
                    inUse++;
                }
            }
            assertEquals(1, executed, "exactly one request ran");
            assertEquals(19, inUse + replayed);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size());
        assertEquals(1, ledger("order-key").size());
        assertLedgerAgreesWithChaiPort("order-key");
    }

    @Test
    void withoutAKeyTwoIdenticalRequestsAreTwoRefunds() {
        givenPayment("order-key", "card", 10000);
        String first = postCancel(PARTIAL).statusCode(200).extract().path("refund.refund_id");
        String second =
                postCancel(PARTIAL)
                        .statusCode(200)
                        .body("payment.cancel_amount", equalTo(2000))
                        .extract()
                        .path("refund.refund_id");

        assertNotEquals(first, second);
        assertEquals(2, chaiPort.executedCancels());
        assertEquals(
                List.of(10000L, 9000L),
                cancelsSent().stream().map(cancel -> cancel.get("checksum").asLong()).toList());
        assertEquals(2, ledger("order-key").size());
        assertTrue(
                collection("idempotency_keys").find().into(new ArrayList<>()).isEmpty(),
                "no key, nothing kept");
        assertLedgerAgreesWithChaiPort("order-key");
    }

    @Test
    void twoNewRefundsOfTheSameAmountAndReasonAreBothExecuted() {
        // Two identical items returned one after the other: two refunds, two keys.
        givenPayment("order-key", "card", 10000);
        postCancel(PARTIAL, "return-item-1")
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));
        postCancel(PARTIAL, "return-item-2")
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(2000))
                .header("Idempotent-Replayed", nullValue());

        assertEquals(2, chaiPort.executedCancels());
        assertEquals(2000, number(stored("order-key"), "cancel_amount"));
        assertEquals(
                List.of("SUCCEEDED", "SUCCEEDED"),
                ledger("order-key").stream().map(e -> e.getString("status")).toList());
        assertLedgerAgreesWithChaiPort("order-key");
    }

    @Test
    void keysAreScopedToTheCaller() {
        givenPayment("order-key", "card", 10000);
        for (String caller : List.of("shop-a", "shop-b")) {
            given().auth()
                    .oauth2(TestJwt.writerFor(caller))
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", "same")
                    .body(PARTIAL)
                    .post("/payments/cancel")
                    .then()
                    .statusCode(200)
                    .header("Idempotent-Replayed", nullValue());
        }
        assertEquals(2, chaiPort.executedCancels());
        assertEquals(
                List.of("shop-a", "shop-b"),
                ledger("order-key").stream().map(e -> e.getString("requested_by")).toList());
    }

    @Test
    void aRefusalIsReplayedButATryAgainAnswerFreesTheKey() {
        givenPayment("order-key", "card", 10000);
        Map<String, Object> tooMuch =
                Map.of("merchant_uid", "order-key", "cancel_request_amount", 20000, "reason", "x");
        postCancel(tooMuch, "too-much")
                .statusCode(409)
                .body("code", equalTo("AMOUNT_EXCEEDS_CANCELABLE"));
        postCancel(tooMuch, "too-much")
                .statusCode(409)
                .contentType("application/problem+json")
                .header("Idempotent-Replayed", "true")
                .body("code", equalTo("AMOUNT_EXCEEDS_CANCELABLE"));

        // ChaiPort unreachable: 503, nothing executed; the retry with the same key goes through.
        chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.httpStatus(503));
        chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.httpStatus(503));
        chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.httpStatus(503));
        chaiPort.expireAllTokens();
        postCancel(PARTIAL, "retry-me")
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("PG_UNAVAILABLE"));
        postCancel(PARTIAL, "retry-me")
                .statusCode(200)
                .header("Idempotent-Replayed", nullValue())
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(1, chaiPort.executedCancels());
        assertEquals(
                List.of("FAILED", "SUCCEEDED"),
                ledger("order-key").stream().map(e -> e.getString("status")).toList());
        assertEquals(
                List.of("retry-me", "retry-me"),
                ledger("order-key").stream().map(e -> e.getString("idempotency_key")).toList());
        assertLedgerAgreesWithChaiPort("order-key");
    }

    @Test
    void aMalformedKeyIs400AndIsNotKept() {
        givenPayment("order-key", "card", 10000);
        for (String key :
                List.of("", "x".repeat(256), "café-1", "tab\there", "\"unterminated\\\"")) {
            postCancel(PARTIAL, key)
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("VALIDATION_FAILED"))
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        assertTrue(chaiPort.calls().isEmpty());
        assertTrue(ledger("order-key").isEmpty());
        assertTrue(collection("idempotency_keys").find().into(new ArrayList<>()).isEmpty());
    }
}
