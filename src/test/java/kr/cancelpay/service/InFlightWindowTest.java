package kr.cancelpay.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The in-flight window (cancelpay.reconcile.older-than), with a real one: a send whose answer was
 * lost may still execute at ChaiPort, so "not executed" is not believed, and nothing is sent again,
 * until the last such send is older than the window.
 */
@QuarkusTest
@TestProfile(InFlightWindowTest.TwoSecondWindow.class)
class InFlightWindowTest extends RefundTestBase {

    public static class TwoSecondWindow extends CancelPayTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("cancelpay.reconcile.older-than", "PT2S");
            return overrides;
        }
    }

    @Test
    void aSendThatExecutesLateInsideTheWindowIsNeitherResentNorFailedAndIsRecordedOnceItHappened() {
        givenPayment("order-late", "card", 10000);
        // Held at ChaiPort past our timeout, executed after we looked, well inside the window.
        chaiPort.enqueueFault(
                Endpoint.CANCEL,
                Fault.hangThenExecute(
                        Duration.ofMillis(CancelPayTestProfile.CANCEL_TIMEOUT_MS * 2L)));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-late",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"),
                        "key-late")
                .statusCode(202)
                .body("refund.status", equalTo("UNKNOWN"));
        assertEquals("UNKNOWN", onlyRefund("order-late").getString("status"));
        assertEquals(1, cancelsSent().size(), "not sent again: the first send may still execute");

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> chaiPort.executedCancels() == 1);
        // ChaiPort's notification settles it.
        given().contentType(ContentType.JSON)
                .body(Map.of("merchant_uid", "order-late"))
                .post("/webhooks/chaiport")
                .then()
                .statusCode(200)
                .body("received", equalTo(true));
        assertEquals(2000, number(stored("order-late"), "cancel_amount"));

        Document refund = onlyRefund("order-late");
        assertEquals("SUCCEEDED", refund.getString("status"));
        assertEquals(1, cancelsSent().size());
        assertOrderFree(stored("order-late"));
        assertLedgerAgreesWithChaiPort("order-late");
        // The caller's retry with its key hears the outcome.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-late",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"),
                        "key-late")
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("refund.refund_id", equalTo(refund.getString("_id")))
                .body("payment.cancel_amount", equalTo(2000));
        assertEquals(1, chaiPort.executedCancels());
    }

    @Test
    void aLostSendNotExecutedIsFailedOnlyOnceTheWindowHasPassed() {
        givenPayment("order-5xx", "card", 10000);
        chaiPort.enqueueFault(Endpoint.CANCEL, Fault.httpStatus(503));

        String refundId =
                postCancel(
                                Map.of(
                                        "merchant_uid",
                                        "order-5xx",
                                        "cancel_request_amount",
                                        1000,
                                        "reason",
                                        "x"))
                        .statusCode(202)
                        .extract()
                        .path("refund.refund_id");
        assertEquals(1, cancelsSent().size(), "no resend inside the window");

        // A new refund of the order waits while the first may still execute.
        postCancel(Map.of("merchant_uid", "order-5xx", "cancel_request_amount", 500, "reason", "y"))
                .statusCode(409)
                .body("code", equalTo("REFUND_IN_PROGRESS"));
        assertEquals(1, cancelsSent().size());

        // Once the window has passed, ChaiPort's "not executed" is believed: FAILED, and the order
        // is free.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                given().contentType(ContentType.JSON)
                                                .body(Map.of("merchant_uid", "order-5xx"))
                                                .post("/webhooks/chaiport")
                                                .statusCode()
                                        == 200);
        Document refund = onlyRefund("order-5xx");
        assertEquals(refundId, refund.getString("_id"));
        assertEquals("FAILED", refund.getString("status"));
        assertEquals(
                "REFUND_NOT_EXECUTED", refund.get("failure", Document.class).getString("code"));
        assertOrderFree(stored("order-5xx"));
        assertEquals(0, chaiPort.executedCancels());
        assertEquals(1, cancelsSent().size(), "settled by asking, never by sending");
    }
}
