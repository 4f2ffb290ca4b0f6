package kr.cancelpay.dev.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox over real HTTP: it must behave like the V1 contract in chaiport-v1.md. */
class ChaiPortSandboxTest {

    private static final String KEY = "test_key";
    private static final String SECRET = "test_secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(WAIT)
                    .build();
    private ChaiPortSandbox sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = new ChaiPortSandbox(KEY, SECRET).start(0);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.stop();
    }

    // ---- tokens ------------------------------------------------------------------------------

    @Test
    void tokenIsReusedExtendedInItsLastMinuteAndReplacedAfterExpiry() throws Exception {
        JsonNode first = tokenResponse();
        String token = first.get("access_token").asText();
        long expiredAt = first.get("expired_at").asLong();
        assertTrue(token.matches("[0-9a-f]{40}"), token);
        assertEquals(1800, expiredAt - first.get("now").asLong());

        JsonNode again = tokenResponse();
        assertEquals(token, again.get("access_token").asText(), "valid token is reused");
        assertEquals(expiredAt, again.get("expired_at").asLong(), "reuse keeps the expiry");

        sandbox.advanceClock(Duration.ofSeconds(1770)); // ~30 s left: inside the last minute
        JsonNode extended = tokenResponse();
        assertEquals(token, extended.get("access_token").asText());
        assertEquals(expiredAt + 300, extended.get("expired_at").asLong(), "extended by 5 minutes");
        assertEquals(
                404,
                get("/payments/nope", token).statusCode(),
                "still valid: past auth, unknown payment");

        sandbox.advanceClock(Duration.ofSeconds(400)); // past the extended expiry
        assertEquals(401, get("/payments/nope", token).statusCode(), "expired token is rejected");
        JsonNode renewed = tokenResponse();
        assertNotEquals(token, renewed.get("access_token").asText(), "a new token after expiry");
        assertEquals(1800, renewed.get("expired_at").asLong() - renewed.get("now").asLong());
    }

    @Test
    void expireAllTokensInvalidatesTheCurrentTokenAtOnce() throws Exception {
        String token = token();
        sandbox.expireAllTokens();
        assertEquals(401, get("/payments/nope", token).statusCode());
        assertNotEquals(token, token());
    }

    @Test
    void getTokenAcceptsFormBodies() throws Exception {
        HttpResponse<String> response =
                postForm("/users/getToken", "imp_key=" + KEY + "&imp_secret=" + SECRET, null);
        assertEquals(200, response.statusCode());
        assertEquals(0, json(response).get("code").asInt());
    }

    @Test
    void wrongCredentialsAre401() throws Exception {
        for (String body :
                List.of(
                        "{\"imp_key\":\"test_key\",\"imp_secret\":\"wrong\"}",
                        "{\"imp_key\":\"test_key\"}",
                        "")) {
            HttpResponse<String> response = post("/users/getToken", body, null);
            assertEquals(401, response.statusCode(), body);
            JsonNode envelope = json(response);
            assertEquals(-1, envelope.get("code").asInt());
            assertEquals("imp_key, imp_secret 인증에 실패하였습니다.", envelope.get("message").asText());
            assertTrue(envelope.get("response").isNull());
        }
    }

    @Test
    void otherEndpointsNeedAValidTokenBareOrBearer() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();

        assertUnauthorized(get("/payments/imp_1", null));
        assertUnauthorized(get("/payments/imp_1", "not-a-token"));
        assertUnauthorized(post("/payments/cancel", "{\"imp_uid\":\"imp_1\"}", "Bearer nope"));
        assertEquals(
                10000,
                sandbox.payment("imp_1").orElseThrow().remainingAmount(),
                "no cancel without auth");

        assertEquals(200, get("/payments/imp_1", token).statusCode());
        assertEquals(200, get("/payments/imp_1", "Bearer " + token).statusCode());
    }

    // ---- cancel ------------------------------------------------------------------------------

    @Test
    void amountOmittedCancelsEverything() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));

        JsonNode payment =
                cancelOk("{\"imp_uid\":\"imp_1\",\"checksum\":10000,\"reason\":\"고객 요청\"}");

        assertEquals("cancelled", payment.get("status").asText());
        assertEquals(10000, payment.get("cancel_amount").asLong());
        assertTrue(payment.get("cancel_amount").isIntegralNumber());
        assertEquals("고객 요청", payment.get("cancel_reason").asText());
        assertTrue(payment.get("cancelled_at").asLong() > 0);
        assertTrue(payment.get("sandbox").asBoolean());
        JsonNode history = payment.get("cancel_history");
        assertEquals(1, history.size());
        assertEquals(10000, history.get(0).get("amount").asLong());
        assertFalse(history.get(0).get("pg_tid").asText().isBlank());
        assertFalse(history.get(0).get("cancellation_id").asText().isBlank());
        assertEquals(
                history.get(0).get("receipt_url").asText(),
                payment.get("cancel_receipt_urls").get(0).asText());
        assertEquals(1, sandbox.executedCancels());
        assertEquals("cancelled", sandbox.payment("imp_1").orElseThrow().status());
    }

    @Test
    void partialCancelsAccumulateUntilFullThenRefuseMore() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));

        JsonNode first = cancelOk("{\"imp_uid\":\"imp_1\",\"amount\":3000,\"checksum\":10000}");
        assertEquals("paid", first.get("status").asText(), "partial cancel keeps status paid");
        assertEquals(3000, first.get("cancel_amount").asLong());

        // form body, looked up by merchant_uid
        HttpResponse<String> formAnswer =
                postForm(
                        "/payments/cancel",
                        "merchant_uid=order_1&amount=2000&checksum=7000&reason=%EB%B6%80%EB%B6%84",
                        token());
        JsonNode second = json(formAnswer).get("response");
        assertEquals("paid", second.get("status").asText());
        assertEquals(5000, second.get("cancel_amount").asLong());
        assertEquals(2, second.get("cancel_history").size());
        assertEquals("부분", second.get("cancel_history").get(1).get("reason").asText());

        JsonNode third = cancelOk("{\"imp_uid\":\"imp_1\",\"amount\":5000,\"checksum\":5000}");
        assertEquals("cancelled", third.get("status").asText());
        assertEquals(10000, third.get("cancel_amount").asLong());
        assertEquals(
                List.of(3000L, 2000L, 5000L),
                third.get("cancel_history").findValuesAsText("amount").stream()
                        .map(Long::valueOf)
                        .toList());
        assertNotEquals(
                third.get("cancel_history").get(0).get("cancellation_id"),
                third.get("cancel_history").get(1).get("cancellation_id"));

        assertRejected("{\"imp_uid\":\"imp_1\",\"amount\":1000}", "이미 전액취소된 주문입니다.");
        assertEquals(3, sandbox.executedCancels());
    }

    @Test
    void checksumMismatchIsNotExecuted() throws Exception {
        sandbox.putPayment(
                SandboxPayment.paid("imp_1", "order_1", "card", 10000).withCancelled(4000, "seed"));

        assertRejected(
                "{\"imp_uid\":\"imp_1\",\"amount\":1000,\"checksum\":10000}",
                "[checksum] 취소가능잔액이 일치하지 않습니다. (요청: 10000, 실제: 6000)");

        SandboxPayment unchanged = sandbox.payment("imp_1").orElseThrow();
        assertEquals(4000, unchanged.cancelAmount());
        assertEquals(1, unchanged.cancelHistory().size());
        assertEquals(0, sandbox.executedCancels());
        // a null checksum skips the check
        assertEquals(
                5000,
                cancelOk("{\"imp_uid\":\"imp_1\",\"amount\":1000,\"checksum\":null}")
                        .get("cancel_amount")
                        .asLong());
    }

    @Test
    void invalidOrTooLargeAmountsAreRejected() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));

        assertRejected(
                "{\"imp_uid\":\"imp_1\",\"amount\":20000}", "취소요청금액(20000)이 취소가능잔액(10000)보다 큽니다.");
        assertRejected("{\"imp_uid\":\"imp_1\",\"amount\":-5}", "취소요청금액이 올바르지 않습니다.");
        assertRejected("{\"imp_uid\":\"imp_1\",\"amount\":1.5}", "취소요청금액이 올바르지 않습니다.");
        assertRejected("{\"imp_uid\":\"imp_1\",\"reason\":\"" + "x".repeat(257) + "\"}", "reason");
        assertEquals(0, sandbox.executedCancels());
    }

    @Test
    void paymentsThatWereNeverPaidCannotBeCancelled() throws Exception {
        sandbox.putPayment(
                new SandboxPayment(
                        "imp_1",
                        "order_1",
                        "card",
                        "html5_inicis",
                        10000,
                        0,
                        "KRW",
                        "ready",
                        0,
                        0,
                        null,
                        null,
                        List.of()));
        assertRejected("{\"imp_uid\":\"imp_1\"}", "결제완료되지 않은 결제건은 취소할 수 없습니다.");
    }

    @Test
    void vbankRefundNeedsTheRefundAccount() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_v", "order_v", "vbank", 50000));

        assertRejected(
                "{\"imp_uid\":\"imp_v\",\"checksum\":50000,\"refund_holder\":\"홍길동\",\"refund_bank\":\"04\"}",
                "가상계좌 환불 시 환불계좌정보(refund_holder, refund_bank, refund_account)가 필요합니다.");
        assertRejected(
                "{\"imp_uid\":\"imp_v\",\"refund_holder\":\"홍길동\",\"refund_bank\":\"04\",\"refund_account\":\" \"}",
                "가상계좌 환불 시 환불계좌정보(refund_holder, refund_bank, refund_account)가 필요합니다.");
        assertRejected(
                "{\"imp_uid\":\"imp_v\",\"refund_holder\":\"홍길동\",\"refund_bank\":\"BK004\",\"refund_account\":\"1\"}",
                "refund_bank");
        assertEquals(0, sandbox.executedCancels());

        JsonNode payment =
                cancelOk(
                        "{\"imp_uid\":\"imp_v\",\"checksum\":50000,\"refund_holder\":\"홍길동\","
                                + "\"refund_bank\":\"04\",\"refund_account\":\"12345678901234\"}");
        assertEquals("cancelled", payment.get("status").asText());
        assertEquals(1, sandbox.executedCancels());
    }

    @Test
    void unknownImpUidDoesNotFallBackToMerchantUid() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));

        assertRejected(
                "{\"imp_uid\":\"imp_unknown\",\"merchant_uid\":\"order_1\"}",
                "취소할 결제건이 존재하지 않습니다.");
        assertRejected("{\"reason\":\"no key\"}", "취소할 결제건이 존재하지 않습니다.");
        assertEquals(0, sandbox.payment("imp_1").orElseThrow().cancelAmount());
    }

    // ---- lookups and protocol errors ---------------------------------------------------------

    @Test
    void getPaymentByImpUidOrMerchantUid() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();

        HttpResponse<String> unknown = get("/payments/imp_unknown", token);
        assertEquals(404, unknown.statusCode());
        assertEquals(1, json(unknown).get("code").asInt());
        assertEquals("존재하지 않는 결제정보입니다.", json(unknown).get("message").asText());

        JsonNode payment = json(get("/payments/imp_1", token)).get("response");
        assertEquals("order_1", payment.get("merchant_uid").asText());
        assertEquals("card", payment.get("pay_method").asText());
        assertEquals("html5_inicis", payment.get("pg_provider").asText());
        assertEquals("KRW", payment.get("currency").asText());
        assertEquals(0, payment.get("cancelled_at").asLong());
        assertEquals(0, payment.get("cancel_history").size());

        assertEquals(
                "imp_1",
                json(get("/payments/find/order_1", token)).get("response").get("imp_uid").asText());
        assertEquals(200, get("/payments/find/order_1/paid", token).statusCode());
        assertEquals(404, get("/payments/find/order_1/cancelled", token).statusCode());
        assertEquals(404, get("/payments/find/order_unknown", token).statusCode());
    }

    @Test
    void unknownPathWrongMethodAndMalformedJson() throws Exception {
        String token = token();
        HttpResponse<String> notFound = get("/nothing/here", token);
        assertEquals(404, notFound.statusCode());
        assertEquals(-1, json(notFound).get("code").asInt());
        assertEquals(405, get("/payments/cancel", token).statusCode());
        assertEquals(405, post("/payments/imp_1", "{}", token).statusCode());

        HttpResponse<String> malformed = post("/payments/cancel", "{\"imp_uid\":", token);
        assertEquals(400, malformed.statusCode());
        assertEquals(-1, json(malformed).get("code").asInt());
        assertTrue(
                malformed
                        .headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("application/json"));
    }

    // ---- faults ------------------------------------------------------------------------------

    @Test
    void httpStatusFaultIsAppliedBeforeAuthAndConsumedOnce() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        sandbox.enqueueFault(Endpoint.CANCEL, Fault.httpStatus(503));
        sandbox.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(502));
        sandbox.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(504));

        HttpResponse<String> unavailable =
                post("/payments/cancel", "{\"imp_uid\":\"imp_1\"}", token);
        assertEquals(503, unavailable.statusCode());
        assertEquals(-1, json(unavailable).get("code").asInt());
        assertEquals("Service Unavailable", json(unavailable).get("message").asText());
        assertEquals(0, sandbox.executedCancels(), "an HTTP status fault does not execute");

        assertEquals(
                502,
                get("/payments/imp_1", null).statusCode(),
                "fault comes before authentication");
        assertEquals(504, get("/payments/imp_1", token).statusCode(), "faults are FIFO");
        assertEquals(200, get("/payments/imp_1", token).statusCode(), "each fault is used once");
        assertEquals(3, sandbox.calls(Endpoint.GET_PAYMENT).size());
        assertEquals(4 + 1, sandbox.calls().size());
    }

    @Test
    void latencyFaultDelaysTheAnswer() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        sandbox.enqueueFault(Endpoint.GET_PAYMENT, Fault.latency(Duration.ofMillis(300)));

        long start = System.nanoTime();
        assertEquals(200, get("/payments/imp_1", token).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);

        sandbox.setLatency(Duration.ofMillis(200));
        start = System.nanoTime();
        assertEquals(200, get("/payments/imp_1", token).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 200);
    }

    @Test
    void hangDropsTheConnectionWithoutExecuting() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        sandbox.enqueueFault(Endpoint.CANCEL, Fault.hang(Duration.ofMillis(200)));

        assertThrows(
                IOException.class,
                () -> post("/payments/cancel", "{\"imp_uid\":\"imp_1\"}", token));
        assertEquals(0, sandbox.executedCancels());
        assertEquals(0, sandbox.payment("imp_1").orElseThrow().cancelAmount());
    }

    @Test
    void stopReleasesThirtyHeldRequestsAtOnce() throws Exception {
        String token = token();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sandbox.enqueueFault(Endpoint.GET_PAYMENT, Fault.hang(Duration.ofMinutes(5)));
        }
        for (int i = 0; i < 30; i++) {
            pending.add(
                    http.sendAsync(
                            request("/payments/imp_" + i, token)
                                    .timeout(Duration.ofMinutes(1))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
        }
        // all 30 are inside the sandbox at the same time
        sandbox.awaitCalls(Endpoint.GET_PAYMENT, 30, WAIT);

        long start = System.nanoTime();
        sandbox.stop();
        for (CompletableFuture<HttpResponse<String>> future : pending) {
            ExecutionException failure =
                    assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failure.getCause());
        }
        assertTrue(
                Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "released promptly");
    }

    @Test
    void executeThenHangMovesTheMoneyButLosesTheAnswer() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        sandbox.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofMinutes(5)));

        HttpRequest cancel =
                request("/payments/cancel", token)
                        .timeout(Duration.ofMillis(500))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"imp_uid\":\"imp_1\",\"amount\":4000,\"checksum\":10000}"))
                        .build();
        assertThrows(
                HttpTimeoutException.class,
                () -> http.send(cancel, HttpResponse.BodyHandlers.ofString()));

        assertEquals(1, sandbox.executedCancels());
        assertEquals(4000, sandbox.payment("imp_1").orElseThrow().cancelAmount());
        // the merchant finds out by re-querying
        assertEquals(
                4000,
                json(get("/payments/imp_1", token)).get("response").get("cancel_amount").asLong());
    }

    @Test
    void executeThenStatusMovesTheMoneyAndAnswersAnError() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        sandbox.enqueueFault(Endpoint.CANCEL, Fault.executeThenStatus(500));

        HttpResponse<String> response =
                post("/payments/cancel", "{\"imp_uid\":\"imp_1\",\"checksum\":10000}", token);
        assertEquals(500, response.statusCode());
        assertEquals(-1, json(response).get("code").asInt());
        assertEquals("Internal Server Error", json(response).get("message").asText());
        assertEquals("cancelled", sandbox.payment("imp_1").orElseThrow().status());
        assertEquals(1, sandbox.executedCancels());
    }

    @Test
    void executeFaultsAreForCancelOnly() {
        assertThrows(
                IllegalArgumentException.class,
                () -> sandbox.enqueueFault(Endpoint.GET_TOKEN, Fault.executeThenStatus(500)));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        sandbox.enqueueFault(
                                Endpoint.GET_PAYMENT,
                                Fault.executeThenHang(Duration.ofSeconds(1))));
    }

    // ---- concurrency -------------------------------------------------------------------------

    @Test
    void concurrentCancelsWithTheSameChecksumExecuteExactlyOnce() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        HttpRequest cancel =
                request("/payments/cancel", token)
                        .timeout(WAIT)
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"imp_uid\":\"imp_1\",\"amount\":1000,\"checksum\":10000}"))
                        .build();

        List<CompletableFuture<HttpResponse<String>>> answers =
                Stream.generate(() -> http.sendAsync(cancel, HttpResponse.BodyHandlers.ofString()))
                        .limit(20)
                        .toList();

        int executed = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            JsonNode envelope = json(answer.get(10, TimeUnit.SECONDS));
            if (envelope.get("code").asInt() == 0) {
                executed++;
            } else {
                assertTrue(
                        envelope.get("message").asText().startsWith("[checksum]"),
                        envelope.toString());
            }
        }
        assertEquals(1, executed);
        assertEquals(1, sandbox.executedCancels());
        assertEquals(1000, sandbox.payment("imp_1").orElseThrow().cancelAmount());
        assertEquals(20, sandbox.calls(Endpoint.CANCEL).size());
    }

    // ---- observation, reset, persistence -----------------------------------------------------

    @Test
    void callsAreRecordedWithHeadersAndBody() throws Exception {
        String token = token();
        post("/payments/cancel", "{\"imp_uid\":\"imp_x\"}", token);

        RecordedCall call = sandbox.calls(Endpoint.CANCEL).get(0);
        assertEquals("POST", call.method());
        assertEquals("/payments/cancel", call.path());
        assertEquals(token, call.authorization());
        assertEquals("imp_x", call.body().get("imp_uid").asText());
        assertEquals(Endpoint.GET_TOKEN, sandbox.calls().get(0).endpoint());
        assertThrows(
                AssertionError.class,
                () -> sandbox.awaitCalls(Endpoint.CANCEL, 2, Duration.ofMillis(50)));
    }

    @Test
    void callsAreCountedPerEndpointAlsoWhenTheirRecordsAreNotKept() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        post("/payments/cancel", "{\"imp_uid\":\"imp_1\",\"amount\":100}", token);

        sandbox.keepCallRecords(false);
        post("/payments/cancel", "{\"imp_uid\":\"imp_1\",\"amount\":100}", token);
        get("/payments/imp_1", token);
        get("/no/such/path", token);

        assertEquals(1, sandbox.callCount(Endpoint.GET_TOKEN));
        assertEquals(2, sandbox.callCount(Endpoint.CANCEL));
        assertEquals(1, sandbox.callCount(Endpoint.GET_PAYMENT));
        assertEquals(2, sandbox.calls().size(), "only the calls before the switch are recorded");
        sandbox.awaitCalls(Endpoint.CANCEL, 2, WAIT);
        assertEquals(2, sandbox.executedCancels());

        sandbox.reset();
        assertEquals(0, sandbox.callCount(Endpoint.CANCEL));
    }

    @Test
    void resetForgetsEverything() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();
        cancelOk("{\"imp_uid\":\"imp_1\",\"amount\":1000}");
        sandbox.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(500));
        sandbox.setLatency(Duration.ofSeconds(10));

        sandbox.reset();

        assertTrue(sandbox.payments().isEmpty());
        assertTrue(sandbox.calls().isEmpty());
        assertEquals(0, sandbox.executedCancels());
        assertEquals(
                401,
                get("/payments/imp_1", token).statusCode(),
                "no fault, no latency, token gone");
    }

    @Test
    void resetKeepingTokensKeepsTheTokenValid() throws Exception {
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        String token = token();

        sandbox.resetKeepingTokens();

        assertTrue(sandbox.payments().isEmpty());
        assertTrue(sandbox.calls().isEmpty());
        assertEquals(404, get("/payments/imp_1", token).statusCode(), "token still accepted");
        assertEquals(token, token(), "and still the current one");
    }

    @Test
    void persistToRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pg/payments.json");
        sandbox.persistTo(file);
        sandbox.putPayment(SandboxPayment.paid("imp_1", "order_1", "card", 10000));
        sandbox.putPayment(
                SandboxPayment.paid("imp_2", "order_2", "vbank", 20000)
                        .withCancelled(5000, "seed"));
        cancelOk("{\"imp_uid\":\"imp_1\",\"amount\":2500,\"checksum\":10000,\"reason\":\"부분 환불\"}");
        assertTrue(Files.exists(file));

        try (ChaiPortSandbox reloaded = new ChaiPortSandbox(KEY, SECRET)) {
            reloaded.putPayment(SandboxPayment.paid("imp_stale", "order_stale", "card", 1));
            reloaded.persistTo(file);
            assertEquals(sandbox.payments(), reloaded.payments(), "loading replaces all payments");
            assertEquals(2500, reloaded.payment("imp_1").orElseThrow().cancelAmount());
            assertEquals(
                    "부분 환불",
                    reloaded.payment("imp_1").orElseThrow().cancelHistory().get(0).reason());
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp files left behind");
        }
        assertNull(
                json(Files.readString(file)).get(0).get("sandbox"),
                "the file holds records, not API views");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private JsonNode tokenResponse() throws Exception {
        HttpResponse<String> response =
                post(
                        "/users/getToken",
                        "{\"imp_key\":\"" + KEY + "\",\"imp_secret\":\"" + SECRET + "\"}",
                        null);
        assertEquals(200, response.statusCode());
        JsonNode envelope = json(response);
        assertEquals(0, envelope.get("code").asInt());
        return envelope.get("response");
    }

    private String token() throws Exception {
        return tokenResponse().get("access_token").asText();
    }

    private JsonNode cancelOk(String body) throws Exception {
        HttpResponse<String> response = post("/payments/cancel", body, token());
        assertEquals(200, response.statusCode());
        JsonNode envelope = json(response);
        assertEquals(0, envelope.get("code").asInt(), envelope.toString());
        return envelope.get("response");
    }

    /** Business failure: HTTP 200, code 1, a message containing {@code expected}, no response. */
    private void assertRejected(String body, String expected) throws Exception {
        HttpResponse<String> response = post("/payments/cancel", body, token());
        assertEquals(200, response.statusCode());
        JsonNode envelope = json(response);
        assertEquals(1, envelope.get("code").asInt(), envelope.toString());
        assertTrue(envelope.get("message").asText().contains(expected), envelope.toString());
        assertTrue(envelope.get("response").isNull());
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws IOException {
        assertEquals(401, response.statusCode());
        assertEquals(-1, json(response).get("code").asInt());
        assertEquals("Unauthorized", json(response).get("message").asText());
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(sandbox.url() + path)).timeout(WAIT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> get(String path, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return json(response.body());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
