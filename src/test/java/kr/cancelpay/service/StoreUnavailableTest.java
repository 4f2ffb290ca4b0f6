package kr.cancelpay.service;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.junit.jupiter.api.Test;

/**
 * MongoDB goes away: callers get a prompt 503 and nothing reaches ChaiPort; when it is back, so is
 * the service.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class StoreUnavailableTest extends RefundTestBase {

    @Test
    void withMongoDbDownTheAnswerIsAPrompt503AndTheServiceRecoversByItself() {
        givenPayment("order-store", "card", 10000);
        embeddedMongo.stop();
        try {
            postCancel(Map.of("merchant_uid", "order-store", "reason", "x"))
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("STORE_UNAVAILABLE"))
                    // Bounded by cancelpay.store-timeout, never a hang (generous margin for a slow
                    // CI).
                    .time(
                            lessThan(CancelPayTestProfile.STORE_TIMEOUT_MS + 8000L),
                            TimeUnit.MILLISECONDS);
        } finally {
            embeddedMongo.restart();
        }
        assertTrue(chaiPort.calls().isEmpty(), "nothing was sent to ChaiPort");
        assertEquals(0, chaiPort.executedCancels());

        // The restarted server came back empty; the service reconnects without being restarted.
        givenPaymentOnceMongoIsBack("order-store");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                postCancel(Map.of("merchant_uid", "order-store", "reason", "x"))
                                        .statusCode(200));
        assertEquals(10000, number(stored("order-store"), "cancel_amount"));
        assertOrderFree(stored("order-store"));
        assertStoredEqualsChaiPort("order-store");
    }

    private void givenPaymentOnceMongoIsBack(String merchantUid) {
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> {
                            payments().deleteMany(new org.bson.Document());
                            return true;
                        });
        givenPayment(merchantUid, "card", 10000);
    }
}
