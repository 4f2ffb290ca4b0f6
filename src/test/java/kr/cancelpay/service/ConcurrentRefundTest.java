package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.junit.jupiter.api.Test;

/** Twenty refund clicks on one order at once: ChaiPort pays out exactly what the money allows. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ConcurrentRefundTest extends RefundTestBase {

    private static final int CALLERS = 20;
    private static final int AMOUNT = 1000;
    private static final int PAID = 10000;

    /** Bounds each caller's retries after 409 REFUND_IN_PROGRESS; far more than ever needed. */
    private static final int MAX_ATTEMPTS = 500;

    @Test
    void twentyConcurrentRefundsOfOneOrderPayOutExactlyWhatTheMoneyAllows() throws Exception {
        givenPayment("order-race", "card", PAID);
        // A little latency at ChaiPort keeps the lock held while the others arrive.
        chaiPort.setLatency(Duration.ofMillis(20));

        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Outcome> outcomes = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                int caller = i;
                futures.add(
                        pool.submit(
                                (Callable<Outcome>)
                                        () -> {
                                            start.await();
                                            return refundUntilFinal(caller);
                                        }));
            }
            start.countDown();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        long refunded = outcomes.stream().filter(o -> o.status() == 200).count();
        assertEquals(PAID / AMOUNT, refunded, "ten refunds of 1000 fit in 10000: " + outcomes);
        outcomes.stream()
                .filter(o -> o.status() != 200)
                .forEach(
                        o -> {
                            assertEquals(409, o.status(), o.toString());
                            assertTrue(
                                    o.code().equals("ALREADY_FULLY_REFUNDED")
                                            || o.code().equals("AMOUNT_EXCEEDS_CANCELABLE"),
                                    o.toString());
                        });
        assertTrue(
                outcomes.stream().anyMatch(o -> o.sawInProgress()),
                "the lock was contended: " + outcomes);

        assertEquals(PAID / AMOUNT, chaiPort.executedCancels());
        assertEquals(PAID, atChaiPort("order-race").cancelAmount());
        assertEquals(PAID, number(stored("order-race"), "cancel_amount"));
        assertEquals(
                PAID / AMOUNT, cancelsSent().size(), "no cancel was sent that could not be paid");
        assertOrderFree(stored("order-race"));
        assertStoredEqualsChaiPort("order-race");
    }

    private record Outcome(int status, String code, boolean sawInProgress) {}

    /**
     * Like a merchant's page that retries what the service says to retry (409 in progress, 503
     * store).
     */
    private static Outcome refundUntilFinal(int caller) {
        boolean sawInProgress = false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ExtractableResponse<Response> response =
                    postCancel(
                                    Map.of(
                                            "merchant_uid",
                                            "order-race",
                                            "cancel_request_amount",
                                            AMOUNT,
                                            "reason",
                                            "caller " + caller))
                            .extract();
            String code = response.statusCode() == 200 ? null : response.path("code");
            if ("REFUND_IN_PROGRESS".equals(code)) {
                sawInProgress = true;
                continue;
            }
            if ("STORE_UNAVAILABLE".equals(code)) {
                // Twenty callers retrying at once can starve the embedded MongoDB on a loaded
                // 2-core
                // machine; the service says "try again" (Retry-After), and so does the page.
                continue;
            }
            return new Outcome(response.statusCode(), code, sawInProgress);
        }
        throw new AssertionError("caller " + caller + " never got a final answer");
    }
}
