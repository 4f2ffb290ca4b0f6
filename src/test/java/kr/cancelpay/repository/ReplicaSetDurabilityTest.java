package kr.cancelpay.repository;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.service.PendingRefundReconciler;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RecordedCommands;
import kr.cancelpay.testsupport.RefundTestBase;
import kr.cancelpay.testsupport.TestJwt;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * On a replica set, a write the primary alone acknowledged is rolled back by a failover, and a read
 * below majority can see such a write before it is lost. Every write of the refund flow must wait
 * for a journaled majority and every read must see majority-committed data only: read from the
 * commands the application's driver actually sent (the embedded server ignores both, so only the
 * commands can show them).
 */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ReplicaSetDurabilityTest extends RefundTestBase {

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify");
    private static final Set<String> READS = Set.of("find", "aggregate", "count", "distinct");
    private static final BsonDocument MAJORITY_JOURNALED =
            new BsonDocument("w", new BsonString("majority")).append("j", BsonBoolean.TRUE);
    private static final BsonDocument MAJORITY_READ =
            new BsonDocument("level", new BsonString("majority"));

    @Inject PendingRefundReconciler janitor;

    @Test
    void everyWriteWaitsForAJournaledMajorityAndEveryReadSeesOnlyMajorityCommittedData() {
        givenPayment("order-durable", "card", 10000);
        RecordedCommands.clear();

        // A refund with a key and its replay; one whose answer is lost (202) and that the janitor
        // settles;
        // the read API; the webhook. Together they take, renew and release locks, reserve and
        // finish keys,
        // record and move refunds through the ledger, point the order at them and settle its row.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-durable",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "durable-1")
                .statusCode(200);
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-durable",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"),
                        "durable-1")
                .statusCode(200);
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
                                "order-durable",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"),
                        "durable-2")
                .statusCode(202);
        assertEquals(
                1,
                janitor.reconcile().await().atMost(Duration.ofSeconds(10)),
                "the janitor settled the 202");
        given().auth()
                .oauth2(TestJwt.reader())
                .get("/payments/order-durable")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(
                        Map.of(
                                "imp_uid",
                                "imp_order-durable",
                                "merchant_uid",
                                "order-durable",
                                "status",
                                "paid"))
                .post("/webhooks/chaiport")
                .then()
                .statusCode(200);
        assertEquals(
                3000,
                number(stored("order-durable"), "cancel_amount"),
                "both refunds settled in the row");

        List<String> offenders = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (BsonDocument command : RecordedCommands.all()) {
            String name = command.getFirstKey();
            if (WRITES.contains(name)) {
                seen.add(name);
                if (!MAJORITY_JOURNALED.equals(
                        command.getDocument("writeConcern", new BsonDocument()))) {
                    offenders.add(
                            name
                                    + " "
                                    + command.getString(name).getValue()
                                    + " writeConcern "
                                    + command.get("writeConcern"));
                }
            } else if (READS.contains(name)) {
                seen.add(name);
                if (!MAJORITY_READ.equals(command.getDocument("readConcern", new BsonDocument()))) {
                    offenders.add(
                            name
                                    + " "
                                    + command.getString(name).getValue()
                                    + " readConcern "
                                    + command.get("readConcern"));
                }
            }
        }
        // findAndModify is checked too, should the flow ever send one; today it does not.
        assertTrue(
                seen.containsAll(Set.of("insert", "update", "delete", "find")),
                "the flow above sends inserts, updates, deletes and finds: " + seen);
        assertEquals(List.of(), offenders);
    }
}
