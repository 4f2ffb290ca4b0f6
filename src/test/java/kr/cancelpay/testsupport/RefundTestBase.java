package kr.cancelpay.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import kr.cancelpay.sandbox.ChaiPortSandbox;
import kr.cancelpay.sandbox.RecordedCall;
import kr.cancelpay.sandbox.SandboxPayment;

/**
 * What every refund test needs: a clean {@code payments} collection and a blank ChaiPort sandbox
 * before each test, rows written the way the guide's mongoose model writes them, and short ways
 * to read what ended up in MongoDB and what ChaiPort saw.
 */
public abstract class RefundTestBase {

    @ChaiPortSandboxResource.InjectChaiPortSandbox
    protected ChaiPortSandbox chaiPort;

    @EmbeddedMongoResource.InjectEmbeddedMongo
    protected EmbeddedMongoResource.EmbeddedMongo embeddedMongo;

    /** The application's database ({@code quarkus.mongodb.database}'s default). */
    protected static final String DATABASE = "cancelpay";

    /** The test's own client: these tests also run against the packaged jar (*IT), where nothing can be injected. */
    private static MongoClient mongo;
    private static String mongoAddress;

    @BeforeEach
    void cleanSlate() {
        payments().deleteMany(new Document());
        // Tokens survive so that each test starts like a warm service; token tests expire them on purpose.
        chaiPort.resetKeepingTokens();
        resetBreakersWhenInProcess();
    }

    /** In a @QuarkusTest the application runs in this JVM and its breakers can be closed between tests. */
    private static void resetBreakersWhenInProcess() {
        if (Arc.container() != null) {
            Arc.container().instance(CircuitBreakerMaintenance.class).get().resetAll();
        }
    }

    protected MongoCollection<Document> payments() {
        synchronized (RefundTestBase.class) {
            if (mongo == null || !embeddedMongo.connectionString().equals(mongoAddress)) {
                if (mongo != null) {
                    mongo.close();
                }
                mongoAddress = embeddedMongo.connectionString();
                mongo = MongoClients.create(mongoAddress + "&serverSelectionTimeoutMS=5000");
            }
            return mongo.getDatabase(DATABASE).getCollection("payments");
        }
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
        return given().auth().oauth2(TestJwt.writer()).contentType(ContentType.JSON).body(body)
                .when().post("/payments/cancel").then();
    }

    protected static ValidatableResponse postCancel(String rawBody) {
        return given().auth().oauth2(TestJwt.writer()).contentType(ContentType.JSON).body(rawBody)
                .when().post("/payments/cancel").then();
    }

    /** The bodies of the cancel requests ChaiPort received, in order. */
    protected List<JsonNode> cancelsSent() {
        return chaiPort.calls(ChaiPortSandbox.Endpoint.CANCEL).stream().map(RecordedCall::body).toList();
    }

    protected static long number(Document row, String field) {
        Object value = row.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** No lock and no pending refund left behind: the order is free for the next refund. */
    protected static void assertOrderFree(Document row) {
        assertFalse(row.containsKey("cancelpay_lock"), "lock left behind: " + row.toJson());
        assertFalse(row.containsKey("cancelpay_pending"), "pending refund left behind: " + row.toJson());
    }

    /** The stored row agrees with ChaiPort: same cumulative amount, same number of cancels. */
    protected void assertStoredEqualsChaiPort(String merchantUid) {
        Document row = stored(merchantUid);
        SandboxPayment pg = atChaiPort(merchantUid);
        assertEquals(pg.cancelAmount(), number(row, "cancel_amount"), "cancel_amount");
        assertEquals(pg.status(), row.getString("status"), "status");
        List<Document> history = row.getList("cancel_history", Document.class, List.of());
        assertEquals(pg.cancelHistory().stream().map(cancel -> cancel.cancellationId()).toList(),
                history.stream().map(entry -> entry.getString("cancellation_id")).toList(), "cancel_history entries");
        assertEquals(pg.cancelHistory().stream().map(cancel -> cancel.amount()).toList(),
                history.stream().map(entry -> number(entry, "amount")).toList(), "cancel_history amounts");
    }
}
