package kr.cancelpay.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RecordedCommands;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Every filter the service sends on the hot path of a refund (lock, record, send, settle, unlock,
 * idempotency keys) is an equality on exactly one field that has a unique index, read from the
 * filter documents the driver actually sent. That is what lets any MongoDB, and the embedded one
 * (which uses no other index), answer each from an index however large the collections grow.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class HotPathQueriesTest extends RefundTestBase {

    private static final Set<String> HOT_COLLECTIONS =
            Set.of(
                    "payments",
                    RefundLedger.COLLECTION,
                    OrderLocks.COLLECTION,
                    IdempotencyKeys.COLLECTION);

    @Inject StoreIndexes indexes;

    @Test
    void everyHotPathFilterIsAnEqualityOnOneUniquelyIndexedField() {
        // Made at start-up; made again here, as another test may have restarted the embedded
        // server.
        indexes.create().await().atMost(Duration.ofSeconds(10));
        givenPayment("order-hot", "card", 10000);
        givenPayment("order-hot-vbank", "vbank", 10000);
        payments()
                .updateOne(
                        new Document("merchant_uid", "order-hot-vbank"),
                        new Document("$unset", new Document("pay_method", "")));
        RecordedCommands.clear();

        // A refund with a key, its replay, a keyless one, a refusal, one whose answer is lost (202)
        // and
        // settled by the next request, and one that must learn the pay method first.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "hot-1")
                .statusCode(200);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "hot-1")
                .statusCode(200);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                99999,
                                "reason",
                                "x"),
                        "hot-2")
                .statusCode(409);
        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.executeThenHang(
                        Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 4L)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "hot-3")
                .statusCode(202);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "hot-4")
                .statusCode(200);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-hot-vbank",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(400);

        Map<String, Set<String>> uniqueFields = uniqueSingleFieldIndexes();
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (BsonDocument command : RecordedCommands.all()) {
            String name = command.getFirstKey();
            if (!command.isString(name)
                    || !HOT_COLLECTIONS.contains(command.getString(name).getValue())) {
                continue;
            }
            String collection = command.getString(name).getValue();
            for (BsonDocument filter : filters(name, command)) {
                checked++;
                if (!isEqualityOnOneUniqueField(
                        filter, uniqueFields.getOrDefault(collection, Set.of()))) {
                    offenders.add(name + " " + collection + " " + filter.toJson());
                }
            }
        }
        assertTrue(checked > 30, "the requests above sent filters: " + checked);
        assertEquals(List.of(), offenders);
        assertFalse(
                uniqueFields.get(RefundLedger.COLLECTION).contains("merchant_uid"),
                "sanity: only unique indexes count");
        assertTrue(uniqueFields.get(RefundLedger.COLLECTION).contains(RefundLedger.STATE_KEY));
        assertTrue(uniqueFields.get(OrderLocks.COLLECTION).contains(OrderLocks.TOKEN));
        assertTrue(uniqueFields.get("payments").contains("merchant_uid"));
    }

    /**
     * The filter documents of a command: find's filter, each update's and delete's q,
     * findAndModify's query.
     */
    private static List<BsonDocument> filters(String name, BsonDocument command) {
        List<BsonDocument> filters = new ArrayList<>();
        switch (name) {
            case "find", "count" -> filters.add(command.getDocument("filter", new BsonDocument()));
            case "findAndModify" -> filters.add(command.getDocument("query", new BsonDocument()));
            case "update" ->
                    command.getArray("updates")
                            .forEach(update -> filters.add(update.asDocument().getDocument("q")));
            case "delete" ->
                    command.getArray("deletes")
                            .forEach(delete -> filters.add(delete.asDocument().getDocument("q")));
            case "aggregate" -> filters.add(new BsonDocument("$pipeline", command.get("pipeline")));
            default -> {
                // insert, createIndexes, ...: no filter
            }
        }
        return filters;
    }

    private static boolean isEqualityOnOneUniqueField(
            BsonDocument filter, Set<String> uniqueFields) {
        if (filter.size() != 1) {
            return false;
        }
        String field = filter.getFirstKey();
        BsonValue value = filter.get(field);
        boolean operator =
                value.isDocument()
                        && value.asDocument().keySet().stream()
                                .anyMatch(key -> key.startsWith("$"));
        return !field.startsWith("$") && !operator && uniqueFields.contains(field);
    }

    /** Per collection, the fields that carry a unique single-field index ({@code _id} always). */
    private Map<String, Set<String>> uniqueSingleFieldIndexes() {
        Map<String, Set<String>> unique = new HashMap<>();
        for (String collection : HOT_COLLECTIONS) {
            Set<String> fields = new HashSet<>(Set.of("_id"));
            for (Document index : collection(collection).listIndexes()) {
                Document keys = index.get("key", Document.class);
                if (Boolean.TRUE.equals(index.getBoolean("unique")) && keys.size() == 1) {
                    fields.add(keys.keySet().iterator().next());
                }
            }
            unique.put(collection, fields);
        }
        return unique;
    }
}
