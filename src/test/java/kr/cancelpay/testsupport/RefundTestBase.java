package kr.cancelpay.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox;
import kr.cancelpay.dev.sandbox.RecordedCall;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every refund test needs: a clean {@code payments} collection and a blank ChaiPort sandbox
 * before each test, rows written the way the guide's mongoose model writes them, and short ways to
 * read what ended up in MongoDB and what ChaiPort saw.
 */
public abstract class RefundTestBase {

    @ChaiPortSandboxResource.InjectChaiPortSandbox protected ChaiPortSandbox chaiPort;

    @EmbeddedMongoResource.InjectEmbeddedMongo
    protected EmbeddedMongoResource.EmbeddedMongo embeddedMongo;

    /** Health and metrics: not on the API's port. */
    @ManagementInterfaceResource.InjectManagementInterface
    protected ManagementInterfaceResource.ManagementInterface management;

    /** The application's database (the path of the connection string the tests give it). */
    protected static final String DATABASE = EmbeddedMongoResource.DATABASE;

    /**
     * The test's own client: these tests also run against the packaged jar (*IT), where nothing can
     * be injected.
     */
    private static MongoClient mongo;

    private static String mongoAddress;

    @BeforeEach
    void cleanSlate() {
        payments().deleteMany(new Document());
        for (String collection : List.of("refunds", "refund_locks", "idempotency_keys")) {
            collection(collection).deleteMany(new Document());
        }
        RecordedCommands.clear();
        // Tokens survive so that each test starts like a warm service; token tests expire them on
        // purpose.
        chaiPort.resetKeepingTokens();
        resetBreakersWhenInProcess();
    }

    /**
     * In a @QuarkusTest the application runs in this JVM and its breakers can be closed between
     * tests.
     */
    private static void resetBreakersWhenInProcess() {
        if (Arc.container() != null) {
            Arc.container().instance(CircuitBreakerMaintenance.class).get().resetAll();
        }
    }

    protected MongoCollection<Document> payments() {
        return collection("payments");
    }

    /** The ledger: one document per refund. */
    protected MongoCollection<Document> refunds() {
        return collection("refunds");
    }

    protected MongoCollection<Document> collection(String name) {
        synchronized (RefundTestBase.class) {
            if (mongo == null || !embeddedMongo.connectionString().equals(mongoAddress)) {
                if (mongo != null) {
                    mongo.close();
                }
                mongoAddress = embeddedMongo.connectionString();
                mongo = MongoClients.create(mongoAddress + "&serverSelectionTimeoutMS=5000");
                // The unique index the service requires on the merchant's collection (README, "The
                // stored document").
                mongo.getDatabase(DATABASE)
                        .getCollection("payments")
                        .createIndex(
                                Indexes.ascending("merchant_uid"), new IndexOptions().unique(true));
            }
            return mongo.getDatabase(DATABASE).getCollection(name);
        }
    }

    /** The order's refunds in the ledger, oldest first. */
    protected List<Document> ledger(String merchantUid) {
        return refunds()
                .find(new Document("merchant_uid", merchantUid))
                .sort(new Document("created_at", 1))
                .into(new ArrayList<>());
    }

    /** The order's one refund in the ledger. */
    protected Document onlyRefund(String merchantUid) {
        List<Document> entries = ledger(merchantUid);
        assertEquals(1, entries.size(), "ledger entries of " + merchantUid + ": " + entries);
        return entries.get(0);
    }

    /** A paid payment on both sides: the merchant's row (guide-shaped) and ChaiPort's record. */
    protected Document givenPayment(String merchantUid, String payMethod, long amount) {
        String impUid = "imp_" + merchantUid;
        chaiPort.putPayment(SandboxPayment.paid(impUid, merchantUid, payMethod, amount));
        Document row = guideRow(impUid, merchantUid, amount).append("pay_method", payMethod);
        payments().insertOne(row);
        return row;
    }

    /** A row as {@code new Payments({imp_uid, merchant_uid, amount}).save()} leaves it. */
    protected static Document guideRow(String impUid, String merchantUid, Object amount) {
        return new Document("_id", new ObjectId())
                .append("imp_uid", impUid)
                .append("merchant_uid", merchantUid)
                .append("amount", amount)
                .append("__v", 0);
    }

    protected Document stored(String merchantUid) {
        Document row = payments().find(new Document("merchant_uid", merchantUid)).first();
        assertNotNull(row, "no stored payment " + merchantUid);
        return row;
    }

    protected SandboxPayment atChaiPort(String merchantUid) {
        return chaiPort.payment("imp_" + merchantUid).orElseThrow();
    }

    /** A refund as the merchant's back office sends it, with a {@code refunds:write} token. */
    protected static ValidatableResponse postCancel(Map<String, ?> body) {
        return given().auth()
                .oauth2(TestJwt.writer())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/payments/cancel")
                .then();
    }

    /** The same, with an Idempotency-Key. */
    protected static ValidatableResponse postCancel(Map<String, ?> body, String idempotencyKey) {
        return given().auth()
                .oauth2(TestJwt.writer())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(body)
                .when()
                .post("/payments/cancel")
                .then();
    }

    protected static ValidatableResponse postCancel(String rawBody) {
        return given().auth()
                .oauth2(TestJwt.writer())
                .contentType(ContentType.JSON)
                .body(rawBody)
                .when()
                .post("/payments/cancel")
                .then();
    }

    /** The bodies of the cancel requests ChaiPort received, in order. */
    protected List<JsonNode> cancelsSent() {
        return chaiPort.calls(ChaiPortSandbox.Endpoint.CANCEL).stream()
                .map(RecordedCall::body)
                .toList();
    }

    protected static long number(Document row, String field) {
        Object value = row.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** No lock and no pending refund left behind: the order is free for the next refund. */
    protected void assertOrderFree(Document row) {
        // A lock whose lease ran out is free (the next request takes it over); a live one is not.
        Document lock =
                collection("refund_locks")
                        .find(new Document("_id", row.getString("merchant_uid")))
                        .first();
        assertTrue(
                lock == null || lock.getDate("until").toInstant().isBefore(Instant.now()),
                "lock left behind: " + (lock == null ? null : lock.toJson()));
        assertFalse(
                row.containsKey("cancelpay_pending"),
                "pending refund left behind: " + row.toJson());
    }

    /**
     * Someone else's lock on the order, as a crashed or live request of another replica leaves it.
     */
    protected void givenLockHeldBy(String merchantUid, String token, Instant until) {
        collection("refund_locks")
                .insertOne(
                        new Document("_id", merchantUid)
                                .append("token", token)
                                .append("until", Date.from(until)));
    }

    /**
     * What an instance that died after sending a refund leaves behind: the refund PENDING in the
     * ledger with its one send unanswered, the row pointing at it, and its lock's lease run out.
     */
    protected void givenCrashedMidSend(
            String merchantUid, String refundId, long amount, Instant sentAt) {
        Document row = stored(merchantUid);
        long before = number(row, "cancel_amount");
        refunds()
                .insertOne(
                        new Document("_id", refundId)
                                .append("state_key", refundId + "#1")
                                .append("version", 1)
                                .append("status", "PENDING")
                                .append("source", "api")
                                .append("merchant_uid", merchantUid)
                                .append("imp_uid", row.getString("imp_uid"))
                                .append("amount", amount)
                                .append("reason", "x")
                                .append("checksum", number(row, "amount") - before)
                                .append("cancel_amount_before", before)
                                .append(
                                        "attempts",
                                        List.of(
                                                new Document("number", 1)
                                                        .append("sent_at", Date.from(sentAt))))
                                .append("requested_by", "crashed-instance")
                                .append("created_at", Date.from(sentAt))
                                .append("updated_at", Date.from(sentAt)));
        payments()
                .updateOne(
                        new Document("merchant_uid", merchantUid),
                        new Document(
                                "$set",
                                new Document(
                                        "cancelpay_pending",
                                        new Document("refund_id", refundId)
                                                .append("requested_at", Date.from(sentAt)))));
        givenLockHeldBy(merchantUid, "crashed-" + refundId, Instant.now().minusSeconds(1));
    }

    /** The token of whoever holds the order's lock, or null. */
    protected String lockHolder(String merchantUid) {
        Document lock = collection("refund_locks").find(new Document("_id", merchantUid)).first();
        return lock == null ? null : lock.getString("token");
    }

    /**
     * The invariants that must hold after every path, faults included: ChaiPort's cumulative cancel
     * is at most the amount paid; the row's cancel_amount equals ChaiPort's; the SUCCEEDED refunds
     * of the ledger add up to it; each SUCCEEDED refund is one of ChaiPort's cancels and the
     * reverse.
     */
    protected void assertLedgerAgreesWithChaiPort(String merchantUid) {
        SandboxPayment pg = atChaiPort(merchantUid);
        Document row = stored(merchantUid);
        assertTrue(pg.cancelAmount() <= pg.amount(), "ChaiPort refunded more than was paid");
        assertEquals(
                pg.cancelAmount(),
                number(row, "cancel_amount"),
                "the row's cancel_amount is ChaiPort's");
        List<Document> succeeded =
                ledger(merchantUid).stream()
                        .filter(entry -> "SUCCEEDED".equals(entry.getString("status")))
                        .toList();
        assertEquals(
                pg.cancelAmount(),
                succeeded.stream().mapToLong(entry -> number(entry, "amount")).sum(),
                "SUCCEEDED refunds add up to ChaiPort's cancel_amount: " + succeeded);
        List<String> ours =
                succeeded.stream()
                        .map(
                                entry ->
                                        entry.get("cancellation", Document.class)
                                                .getString("cancellation_id"))
                        .sorted()
                        .toList();
        List<String> chaiPorts =
                pg.cancelHistory().stream()
                        .map(cancel -> cancel.cancellationId())
                        .sorted()
                        .toList();
        assertEquals(
                chaiPorts,
                ours,
                "each SUCCEEDED refund is one of ChaiPort's cancels, and the reverse");
    }

    /** The stored row agrees with ChaiPort: same cumulative amount, same number of cancels. */
    protected void assertStoredEqualsChaiPort(String merchantUid) {
        Document row = stored(merchantUid);
        SandboxPayment pg = atChaiPort(merchantUid);
        assertEquals(pg.cancelAmount(), number(row, "cancel_amount"), "cancel_amount");
        assertEquals(pg.status(), row.getString("status"), "status");
        List<Document> history = row.getList("cancel_history", Document.class, List.of());
        assertEquals(
                pg.cancelHistory().stream().map(cancel -> cancel.cancellationId()).toList(),
                history.stream().map(entry -> entry.getString("cancellation_id")).toList(),
                "cancel_history entries");
        assertEquals(
                pg.cancelHistory().stream().map(cancel -> cancel.amount()).toList(),
                history.stream().map(entry -> number(entry, "amount")).toList(),
                "cancel_history amounts");
    }
}
