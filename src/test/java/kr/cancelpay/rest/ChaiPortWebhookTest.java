package kr.cancelpay.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;

/** ChaiPort's webhook: a hint of which order to re-query, never a source of figures. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class ChaiPortWebhookTest extends RefundTestBase {

    @Test
    void aRefundMadeInChaiPortsConsoleIsSyncedFromTheRequeryNotFromTheBody() {
        givenPayment("order-console", "card", 10000);
        chaiPort.putPayment(SandboxPayment.paid("imp_order-console", "order-console", "card", 10000)
                .withCancelled(2500, "console"));

        // The body lies about the status; only the re-query counts.
        webhook(Map.of("imp_uid", "imp_forged", "merchant_uid", "order-console", "status", "cancelled"))
                .statusCode(200)
                .body("cancel_amount", equalTo(2500))
                .body("cancelable_amount", equalTo(7500))
                .body("status", equalTo("paid"))
                .body("refunds.size()", equalTo(1))
                .body("refunds[0].source", equalTo("chaiport"))
                .body("refunds[0].status", equalTo("SUCCEEDED"))
                .body("refunds[0].amount", equalTo(2500));

        // Asked once without the lock (anything new?) and once under it (sync from the latest figures).
        assertEquals(List.of("/payments/imp_order-console", "/payments/imp_order-console"),
                chaiPort.calls(Endpoint.GET_PAYMENT).stream().map(call -> call.path()).toList(),
                "re-queried by the stored imp_uid, not the body's");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        Document row = stored("order-console");
        assertEquals(2500, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-console");

        Document found = onlyRefund("order-console");
        assertEquals("chaiport", found.getString("source"), "a cancel we never sent enters the ledger as ChaiPort's");
        assertEquals("SUCCEEDED", found.getString("status"));
        assertEquals(atChaiPort("order-console").cancelHistory().get(0).cancellationId(),
                found.get("cancellation", Document.class).getString("cancellation_id"));
        assertLedgerAgreesWithChaiPort("order-console");

        // Duplicate and out-of-order notifications change nothing more.
        webhook(Map.of("imp_uid", "imp_order-console", "merchant_uid", "order-console", "status", "paid")).statusCode(200);
        webhook(Map.of("imp_uid", "imp_order-console", "merchant_uid", "order-console", "status", "cancelled")).statusCode(200);
        webhook(Map.of("imp_uid", "imp_order-console", "merchant_uid", "order-console", "status", "ready")).statusCode(200);
        assertStoredEqualsChaiPort("order-console");
        assertEquals(found, onlyRefund("order-console"), "the ledger entry is untouched");
        assertLedgerAgreesWithChaiPort("order-console");
    }

    @Test
    void aPendingRefundIsSettledByTheWebhook() {
        givenPayment("order-hooked", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.executeThenHang(Duration.ofSeconds(3)));
        for (int i = 0; i < 3; i++) {
            chaiPort.enqueueFault(Endpoint.GET_PAYMENT, Fault.httpStatus(503));
        }
        postCancel(Map.of("merchant_uid", "order-hooked", "cancel_request_amount", 4000, "reason", "x")).statusCode(202);
        assertTrue(stored("order-hooked").containsKey("cancelpay_pending"));

        webhook(Map.of("imp_uid", "imp_order-hooked", "merchant_uid", "order-hooked", "status", "paid"))
                .statusCode(200)
                .body("cancel_amount", equalTo(4000))
                .body("pending_refund_id", equalTo(null))
                .body("refunds[0].status", equalTo("SUCCEEDED"));

        assertEquals(1, chaiPort.executedCancels());
        Document row = stored("order-hooked");
        assertEquals(4000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-hooked");
    }

    @Test
    void aWebhookForAnOrderBeingRefundedWaitsOnlyWhenThereIsSomethingToSync() {
        givenPayment("order-busy", "card", 10000);
        givenLockHeldBy("order-busy", "other", Instant.now().plusSeconds(60));

        // Nothing new at ChaiPort: answered at once, the refund in progress is not disturbed.
        webhook(Map.of("merchant_uid", "order-busy")).statusCode(200).body("cancel_amount", equalTo(0));
        assertEquals("other", lockHolder("order-busy"));

        // Something new: it must wait for the lock.
        chaiPort.putPayment(SandboxPayment.paid("imp_order-busy", "order-busy", "card", 10000).withCancelled(500, "console"));
        webhook(Map.of("merchant_uid", "order-busy")).statusCode(409).body("code", equalTo("REFUND_IN_PROGRESS"));
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        Document row = stored("order-busy");
        assertNull(row.get("cancel_amount"));
        assertEquals("other", lockHolder("order-busy"));
    }

    @Test
    void aFormEncodedWebhookWorksToo() {
        givenPayment("order-form", "card", 10000);
        given().contentType(ContentType.URLENC).formParam("imp_uid", "imp_order-form").formParam("merchant_uid", "order-form")
                .formParam("status", "paid").post("/webhooks/chaiport").then()
                .statusCode(200)
                .body("cancel_amount", equalTo(0));
        assertEquals(1, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertOrderFree(stored("order-form"));
    }

    @Test
    void anUnknownOrderOrAnEmptyNotificationIsRefused() {
        webhook(Map.of("merchant_uid", "order-none")).statusCode(404).body("code", equalTo("PAYMENT_NOT_FOUND"));
        webhook(Map.of("imp_uid", "imp_x")).statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        assertTrue(chaiPort.calls().isEmpty());
    }

    private static ValidatableResponse webhook(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/webhooks/chaiport").then();
    }
}
