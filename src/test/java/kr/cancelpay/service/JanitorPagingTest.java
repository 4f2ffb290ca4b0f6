package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * An order the janitor cannot settle (here: another replica holds it, for as long as it likes)
 * never keeps newer ones waiting: each run goes on from where the last full page ended.
 */
@QuarkusTest
@TestProfile(JanitorPagingTest.OnePerPage.class)
class JanitorPagingTest extends RefundTestBase {

    public static class OnePerPage extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("cancelpay.reconcile.batch-size", "1");
            return overrides;
        }
    }

    @Inject PendingRefundReconciler janitor;

    @Test
    void anOrderThatCannotBeSettledDoesNotStarveTheOthers() {
        givenPayment("order-stuck", "card", 10000);
        givenPayment("order-next", "card", 10000);
        givenCrashedMidSend("order-stuck", "rf_stuck", 1000, Instant.now().minusSeconds(120));
        collection("refund_locks").deleteOne(new Document("_id", "order-stuck"));
        givenLockHeldBy(
                "order-stuck", "a-replica-that-never-lets-go", Instant.now().plusSeconds(3600));
        givenCrashedMidSend("order-next", "rf_next", 1000, Instant.now().minusSeconds(60));

        for (int run = 0; run < 4; run++) {
            janitor.reconcile().await().atMost(Duration.ofSeconds(10));
        }

        assertEquals(
                "PENDING",
                refunds().find(new Document("_id", "rf_stuck")).first().getString("status"));
        assertEquals(
                "FAILED",
                refunds().find(new Document("_id", "rf_next")).first().getString("status"),
                "settled although the older one is stuck at the head of every page");
        assertOrderFree(stored("order-next"));
    }
}
