package kr.cancelpay.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import kr.cancelpay.repository.PaymentsCollectionCheck.Plan;
import kr.cancelpay.repository.PaymentsCollectionCheck.Seen;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the start-up does about the merchant's collection, from what MongoDB shows (listCollections,
 * listIndexes as a real MongoDB answers them) and {@code cancelpay.store.create-indexes}.
 */
class PaymentsCollectionCheckTest {

    private static final String CREATE_COMMAND =
            "db.getSiblingDB(\"shop\").getCollection(\"payments\")"
                    + ".createIndex({ merchant_uid: 1 }, { unique: true })";

    private static final Document ID = index("_id_", new Document("_id", 1));
    private static final Document UNIQUE =
            index("merchant_uid_1", new Document("merchant_uid", 1)).append("unique", true);
    private static final Document UNIQUE_DESCENDING =
            index("merchant_uid_-1", new Document("merchant_uid", -1)).append("unique", true);
    private static final Document NOT_UNIQUE =
            index("merchant_uid_1", new Document("merchant_uid", 1));
    private static final Document UNIQUE_FALSE =
            index("by_order", new Document("merchant_uid", 1)).append("unique", false);
    private static final Document PARTIAL =
            index("merchant_uid_1", new Document("merchant_uid", 1))
                    .append("unique", true)
                    .append(
                            "partialFilterExpression",
                            new Document("status", new Document("$eq", "paid")));
    private static final Document COLLATED =
            index("merchant_uid_1", new Document("merchant_uid", 1))
                    .append("unique", true)
                    .append("collation", new Document("locale", "ko").append("strength", 2));
    private static final Document SIMPLE_COLLATION =
            index("merchant_uid_1", new Document("merchant_uid", 1))
                    .append("unique", true)
                    .append("collation", new Document("locale", "simple"));
    private static final Document COMPOUND =
            index("merchant_uid_1_imp_uid_1", new Document("merchant_uid", 1).append("imp_uid", 1))
                    .append("unique", true);
    private static final Document JANITOR =
            index(
                            "cancelpay_pending.requested_at_1",
                            new Document("cancelpay_pending.requested_at", 1))
                    .append("sparse", true);

    private static Document index(String name, Document key) {
        return new Document("v", 2).append("key", key).append("name", name);
    }

    private static Seen collection(Document... indexes) {
        return new Seen(List.of("orders", "payments", "users"), List.of(indexes));
    }

    private static final Seen NO_COLLECTION = new Seen(List.of("orders", "users"), List.of());

    enum Expected {
        READY,
        READY_WITHOUT_JANITOR_INDEX,
        CREATE,
        REFUSE_NO_COLLECTION,
        REFUSE_NO_INDEX,
        REFUSE_REPLACE_INDEX
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // what MongoDB shows, create-indexes, what happens
                Arguments.of(
                        "unique index and the janitor's",
                        collection(ID, UNIQUE, JANITOR),
                        false,
                        Expected.READY),
                Arguments.of(
                        "the same, create-indexes on",
                        collection(ID, UNIQUE, JANITOR),
                        true,
                        Expected.READY),
                Arguments.of(
                        "unique, descending",
                        collection(ID, UNIQUE_DESCENDING, JANITOR),
                        false,
                        Expected.READY),
                Arguments.of(
                        "unique, simple collation",
                        collection(ID, SIMPLE_COLLATION, JANITOR),
                        false,
                        Expected.READY),
                Arguments.of(
                        "unique, no janitor's index",
                        collection(ID, UNIQUE),
                        false,
                        Expected.READY_WITHOUT_JANITOR_INDEX),
                Arguments.of("no collection", NO_COLLECTION, false, Expected.REFUSE_NO_COLLECTION),
                Arguments.of(
                        "no collection, create-indexes on", NO_COLLECTION, true, Expected.CREATE),
                Arguments.of("only _id", collection(ID), false, Expected.REFUSE_NO_INDEX),
                Arguments.of("only _id, create-indexes on", collection(ID), true, Expected.CREATE),
                Arguments.of(
                        "a compound unique index is no guarantee",
                        collection(ID, COMPOUND),
                        false,
                        Expected.REFUSE_NO_INDEX),
                Arguments.of(
                        "compound, create-indexes on",
                        collection(ID, COMPOUND),
                        true,
                        Expected.CREATE),
                Arguments.of(
                        "not unique",
                        collection(ID, NOT_UNIQUE),
                        false,
                        Expected.REFUSE_REPLACE_INDEX),
                Arguments.of(
                        "not unique, create-indexes on: never dropped",
                        collection(ID, NOT_UNIQUE),
                        true,
                        Expected.REFUSE_REPLACE_INDEX),
                Arguments.of(
                        "unique: false",
                        collection(ID, UNIQUE_FALSE),
                        false,
                        Expected.REFUSE_REPLACE_INDEX),
                Arguments.of(
                        "partial", collection(ID, PARTIAL), true, Expected.REFUSE_REPLACE_INDEX),
                Arguments.of(
                        "another collation",
                        collection(ID, COLLATED),
                        false,
                        Expected.REFUSE_REPLACE_INDEX),
                Arguments.of(
                        "a suitable one beside an unsuitable one",
                        collection(ID, COLLATED, UNIQUE_DESCENDING),
                        false,
                        Expected.READY_WITHOUT_JANITOR_INDEX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whatTheStartUpDoes(String name, Seen seen, boolean createIndexes, Expected expected) {
        Plan plan = PaymentsCollectionCheck.plan("shop", "payments", seen, createIndexes);
        switch (expected) {
            case READY -> assertEquals(new Plan.Ready(true), plan);
            case READY_WITHOUT_JANITOR_INDEX -> assertEquals(new Plan.Ready(false), plan);
            case CREATE -> assertEquals(new Plan.Create(), plan);
            case REFUSE_NO_COLLECTION -> {
                String reason = assertInstanceOf(Plan.Refuse.class, plan).reason();
                assertTrue(
                        reason.contains("database \"shop\" has no collection \"payments\""),
                        reason);
                assertTrue(
                        reason.contains("[orders, users]"), "what the database holds: " + reason);
                assertTrue(reason.contains(CREATE_COMMAND), reason);
                assertTrue(reason.contains("cancelpay.store.create-indexes=true"), reason);
            }
            case REFUSE_NO_INDEX -> {
                String reason = assertInstanceOf(Plan.Refuse.class, plan).reason();
                assertTrue(reason.contains("has no unique index on merchant_uid"), reason);
                assertTrue(reason.contains(CREATE_COMMAND), reason);
                assertTrue(reason.contains("cancelpay.store.create-indexes=true"), reason);
            }
            case REFUSE_REPLACE_INDEX -> {
                String reason = assertInstanceOf(Plan.Refuse.class, plan).reason();
                assertTrue(reason.contains("has an index on merchant_uid"), reason);
                assertTrue(
                        reason.contains(
                                ".dropIndex(\"" + seen.indexes().get(1).get("name") + "\")"),
                        reason);
                assertTrue(reason.contains(CREATE_COMMAND), reason);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void namesAreQuotedForMongosh() {
        assertEquals(
                "db.getSiblingDB(\"my\\\"shop\").getCollection(\"pay.ments\")"
                        + ".createIndex({ merchant_uid: 1 }, { unique: true })",
                PaymentsCollectionCheck.uniqueIndexCommand("my\"shop", "pay.ments"));
    }
}
