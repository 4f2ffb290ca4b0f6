package kr.cancelpay.client;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.RecordedCall;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.ChaiPortSandboxResource;
import kr.cancelpay.testsupport.RefundTestBase;
import org.junit.jupiter.api.Test;

/**
 * The access token: fetched once and reused, refreshed once when ChaiPort stops accepting it, and
 * shared by concurrent callers. Each test starts by making ChaiPort forget the token the service
 * holds, so the service's first call meets a 401, exactly as after a real expiry.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ChaiPortTokenTest extends RefundTestBase {

    @Test
    void manyRefundsUseOneToken() {
        givenPayment("order-token", "card", 10000);
        chaiPort.expireAllTokens();

        for (int i = 0; i < 5; i++) {
            postCancel(
                            Map.of(
                                    "merchant_uid",
                                    "order-token",
                                    "cancel_request_amount",
                                    1000,
                                    "reason",
                                    "x" + i))
                    .statusCode(200);
        }

        assertEquals(1, chaiPort.calls(Endpoint.GET_TOKEN).size(), "one getToken for five refunds");
        List<RecordedCall> cancels = chaiPort.calls(Endpoint.CANCEL);
        assertEquals(6, cancels.size(), "the stale token's 401, then five refunds");
        String token = cancels.get(1).authorization();
        cancels.subList(1, 6).forEach(call -> assertEquals(token, call.authorization()));
        assertEquals(5, chaiPort.executedCancels());
        assertOrderFree(stored("order-token"));
        assertStoredEqualsChaiPort("order-token");
    }

    @Test
    void aRejectedTokenIsRefreshedOnceAndTheCancelRepeatedOnce() {
        givenPayment("order-expired-token", "card", 10000);
        chaiPort.expireAllTokens();

        postCancel(Map.of("merchant_uid", "order-expired-token", "reason", "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(10000));

        List<RecordedCall> cancels = chaiPort.calls(Endpoint.CANCEL);
        assertEquals(2, cancels.size());
        assertNotEquals(
                cancels.get(0).authorization(),
                cancels.get(1).authorization(),
                "the second carries the new token");
        assertEquals(1, chaiPort.calls(Endpoint.GET_TOKEN).size());
        assertEquals(1, chaiPort.executedCancels());
        assertStoredEqualsChaiPort("order-expired-token");
    }

    @Test
    void credentialsAreSentAsConfiguredAndNeverInAnAuthorizationHeader() {
        givenPayment("order-credentials", "card", 1000);
        chaiPort.expireAllTokens();

        postCancel(Map.of("merchant_uid", "order-credentials", "reason", "x")).statusCode(200);

        RecordedCall getToken = chaiPort.calls(Endpoint.GET_TOKEN).get(0);
        assertEquals(ChaiPortSandboxResource.IMP_KEY, getToken.body().get("imp_key").asText());
        assertEquals(
                ChaiPortSandboxResource.IMP_SECRET, getToken.body().get("imp_secret").asText());
        chaiPort.calls(Endpoint.CANCEL)
                .forEach(
                        call ->
                                assertNotEquals(
                                        ChaiPortSandboxResource.IMP_SECRET, call.authorization()));
        assertStoredEqualsChaiPort("order-credentials");
    }

    @Test
    void concurrentRefundsShareOneTokenRequest() throws Exception {
        int orders = 6;
        IntStream.range(0, orders).forEach(i -> givenPayment("order-share-" + i, "card", 1000));
        chaiPort.expireAllTokens();
        // A slow getToken, so that every refund needs the token while the first request is in
        // flight.
        chaiPort.enqueueFault(Endpoint.GET_TOKEN, Fault.latency(Duration.ofMillis(300)));

        ExecutorService pool = Executors.newFixedThreadPool(orders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses =
                    IntStream.range(0, orders)
                            .mapToObj(
                                    i ->
                                            pool.submit(
                                                    (Callable<Integer>)
                                                            () -> {
                                                                start.await();
                                                                return postCancel(
                                                                                Map.of(
                                                                                        "merchant_uid",
                                                                                        "order-share-"
                                                                                                + i,
                                                                                        "reason",
                                                                                        "x"))
                                                                        .extract()
                                                                        .statusCode();
                                                            }))
                            .toList();
            start.countDown();
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, chaiPort.calls(Endpoint.GET_TOKEN).size(), "one shared getToken");
        assertEquals(orders, chaiPort.executedCancels());
        IntStream.range(0, orders)
                .forEach(
                        i -> {
                            assertOrderFree(stored("order-share-" + i));
                            assertStoredEqualsChaiPort("order-share-" + i);
                        });
    }
}
