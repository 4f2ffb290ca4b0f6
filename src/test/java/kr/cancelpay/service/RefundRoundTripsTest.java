package kr.cancelpay.service;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.repository.IdempotencyKeys;
import kr.cancelpay.repository.OrderLocks;
import kr.cancelpay.repository.RefundLedger;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RecordedCommands;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The MongoDB round trips of a plain successful refund, one by one, as the driver sent them: each
 * one is latency every refund pays in sequence (and CPU on both ends), so one more must be a
 * decision, visible in this list, not a drift. What each is for: README, "How a refund stays
 * exactly-once"; why there are no more: the commit that removed the renewal before the send.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class RefundRoundTripsTest extends RefundTestBase {

    private static final Set<String> STORE_COLLECTIONS =
            Set.of(
                    "payments",
                    RefundLedger.COLLECTION,
                    OrderLocks.COLLECTION,
                    IdempotencyKeys.COLLECTION);

    /** Lock, read, record PENDING, point, (send), confirm the lock, record, sync, unlock. */
    private static final List<String> REFUND =
            List.of(
                    "insert refund_locks",
                    "find payments",
                    "insert refunds",
                    "update payments",
                    "update refund_locks",
                    "update refunds",
                    "update payments",
                    "delete refund_locks");

    @Test
    void aRefundWithoutKeyTakesEightRoundTrips() {
        givenPayment("order-trips", "card", 10000);

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-trips",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(REFUND, roundTrips());
        assertEquals(1, chaiPort.executedCancels());
        assertEquals("SUCCEEDED", onlyRefund("order-trips").getString("status"));
        assertOrderFree(stored("order-trips"));
        assertStoredEqualsChaiPort("order-trips");
    }

    @Test
    void aRefundWithAnIdempotencyKeyTakesTwoMore() {
        givenPayment("order-trips-key", "card", 10000);

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-trips-key",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "trips-1")
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));

        List<String> expected = new ArrayList<>(List.of("insert " + IdempotencyKeys.COLLECTION));
        expected.addAll(REFUND);
        expected.add("update " + IdempotencyKeys.COLLECTION);
        assertEquals(expected, roundTrips());
        assertEquals(1, chaiPort.executedCancels());
        assertEquals("SUCCEEDED", onlyRefund("order-trips-key").getString("status"));
        assertOrderFree(stored("order-trips-key"));
        assertEquals(
                200,
                collection(IdempotencyKeys.COLLECTION)
                        .find()
                        .first()
                        .get("answer", Document.class)
                        .getInteger("status"),
                "the answer is kept for replays");
    }

    /** "command collection" of every command the service sent to the refund's collections. */
    private static List<String> roundTrips() {
        return RecordedCommands.all().stream()
                .filter(
                        command -> {
                            String name = command.getFirstKey();
                            return command.isString(name)
                                    && STORE_COLLECTIONS.contains(
                                            command.getString(name).getValue());
                        })
                .map(RefundRoundTripsTest::describe)
                .toList();
    }

    private static String describe(BsonDocument command) {
        String name = command.getFirstKey();
        return name + " " + command.getString(name).getValue();
    }
}
