package kr.cancelpay.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The adoption promise of docs/adopting.md: a row exactly as the ChaiPort guide's mongoose model
 * saves it, refunded through the service, is still read by the guide's app as before: every field
 * it had is there, with a type its model reads, and the same value where the service has no
 * business changing it.
 *
 * <p>The guide's model (bench/guide-sample/server.js): {@code imp_uid: String, merchant_uid:
 * String, amount: Number, cancel_amount: {type: Number, default: 0}}, collection {@code payments}.
 * {@code new Payments({imp_uid, merchant_uid, amount}).save()} stores, through the Node driver's
 * BSON serializer: {@code _id} ObjectId, the two strings, {@code amount} int32 (a whole JS number
 * within int32; a double beyond it), {@code cancel_amount} int32 0 (the default is written), {@code
 * __v} int32 0.
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class GuideShapedDocumentTest extends RefundTestBase {

    /**
     * The guide's model, path by path, with the BSON types its reader accepts: mongoose on the Node
     * driver's defaults turns int32, int64 (promoteLongs) and double into a JS number, which is
     * what a {@code Number} path holds; a decimal128 would come back as an object instead.
     */
    private static final Map<String, Set<BsonType>> GUIDE_MODEL = guideModel();

    private static Map<String, Set<BsonType>> guideModel() {
        Set<BsonType> number = Set.of(BsonType.INT32, BsonType.INT64, BsonType.DOUBLE);
        Map<String, Set<BsonType>> model = new LinkedHashMap<>();
        model.put("_id", Set.of(BsonType.OBJECT_ID));
        model.put("imp_uid", Set.of(BsonType.STRING));
        model.put("merchant_uid", Set.of(BsonType.STRING));
        model.put("amount", number);
        model.put("cancel_amount", number);
        model.put("__v", number);
        return model;
    }

    /** What {@code new Payments({imp_uid, merchant_uid, amount}).save()} stores. */
    private static BsonDocument savedByMongoose(String merchantUid, BsonValue amount) {
        return new BsonDocument("_id", new BsonObjectId())
                .append("imp_uid", new BsonString("imp_" + merchantUid))
                .append("merchant_uid", new BsonString(merchantUid))
                .append("amount", amount)
                .append("cancel_amount", new BsonInt32(0))
                .append("__v", new BsonInt32(0));
    }

    @Test
    void aPartialRefundLeavesEveryFieldOfTheGuidesModelReadable() {
        BsonDocument saved = savedByMongoose("order-guide", new BsonInt32(10000));
        guideRows().insertOne(saved);
        chaiPort.putPayment(SandboxPayment.paid("imp_order-guide", "order-guide", "card", 10000));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-guide",
                                "cancel_request_amount",
                                3000,
                                "reason",
                                "부분환불"))
                .statusCode(200);

        // What ChaiPort saw: one cancel of the explicit amount, guarded by the row's balance.
        List<JsonNode> sent = cancelsSent();
        assertEquals(1, sent.size(), "cancels sent: " + sent);
        assertEquals("imp_order-guide", sent.get(0).get("imp_uid").asText());
        assertEquals(3000, sent.get(0).get("amount").asLong());
        assertEquals(10000, sent.get(0).get("checksum").asLong());
        assertEquals(3000, atChaiPort("order-guide").cancelAmount());

        BsonDocument after = readAsTheGuidesAppDoes("order-guide");
        assertUntouched(saved, after, "_id", "imp_uid", "merchant_uid", "amount", "__v");
        assertEquals(3000, after.get("cancel_amount").asNumber().longValue());
        // The service's own fields, beside the guide's (mongoose's strict schema ignores them).
        assertEquals("paid", after.getString("status").getValue());
        assertEquals("card", after.getString("pay_method").getValue(), "learned from ChaiPort");
        assertEquals(1, after.getArray("cancel_history").size());
        assertFalse(after.containsKey("cancelpay_pending"), "no refund left pending");
        assertLedgerAgreesWithChaiPort("order-guide");
    }

    @Test
    void aFullRefundOfAnAmountBeyondInt32KeepsTheGuidesDouble() {
        // A whole JS number beyond int32 is stored as a double by the Node driver.
        BsonDocument saved = savedByMongoose("order-guide-big", new BsonDouble(2_500_000_000d));
        guideRows().insertOne(saved);
        chaiPort.putPayment(
                SandboxPayment.paid(
                        "imp_order-guide-big", "order-guide-big", "card", 2_500_000_000L));

        postCancel(Map.of("merchant_uid", "order-guide-big", "reason", "단순변심")).statusCode(200);

        assertEquals(1, cancelsSent().size());
        assertEquals(2_500_000_000L, cancelsSent().get(0).get("amount").asLong());
        assertEquals(2_500_000_000L, cancelsSent().get(0).get("checksum").asLong());
        BsonDocument after = readAsTheGuidesAppDoes("order-guide-big");
        assertUntouched(saved, after, "_id", "imp_uid", "merchant_uid", "amount", "__v");
        assertEquals(2_500_000_000L, after.get("cancel_amount").asNumber().longValue());
        assertEquals("cancelled", after.getString("status").getValue());
        assertFalse(after.containsKey("cancelpay_pending"), "no refund left pending");
        assertLedgerAgreesWithChaiPort("order-guide-big");
    }

    private com.mongodb.client.MongoCollection<BsonDocument> guideRows() {
        return payments().withDocumentClass(BsonDocument.class);
    }

    /**
     * A plain driver read, checked path by path against the guide's model: every path is there with
     * a type its reader accepts. The raw BSON, so that a changed type cannot hide behind a
     * converting codec.
     */
    private BsonDocument readAsTheGuidesAppDoes(String merchantUid) {
        BsonDocument row = guideRows().find(new Document("merchant_uid", merchantUid)).first();
        assertTrue(row != null, "no row " + merchantUid);
        GUIDE_MODEL.forEach(
                (path, types) -> {
                    assertTrue(row.containsKey(path), path + " is gone: " + row.toJson());
                    BsonType type = row.get(path).getBsonType();
                    assertTrue(
                            types.contains(type),
                            path
                                    + " is "
                                    + type
                                    + ", which the guide's model cannot read as "
                                    + types
                                    + ": "
                                    + row.toJson());
                });
        return row;
    }

    /** The service writes none of these: same BSON type, same value. */
    private static void assertUntouched(BsonDocument saved, BsonDocument after, String... paths) {
        for (String path : paths) {
            assertEquals(saved.get(path), after.get(path), path + " was changed");
        }
    }
}
