package kr.cancelpay.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.CancelPayTestProfile;
import kr.cancelpay.testsupport.RefundTestBase;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

/** The happy paths and the business refusals of {@code POST /payments/cancel}. */
@QuarkusTest
@TestProfile(CancelPayTestProfile.class)
class RefundFlowTest extends RefundTestBase {

    @Test
    void fullRefundSendsTheExplicitAmountAndChecksumAndStoresChaiPortsFigures() {
        Document before = givenPayment("order-full", "card", 10000);

        postCancel(Map.of("merchant_uid", "order-full", "reason", "단순변심"))
                .statusCode(200)
                .contentType("application/json")
                .body("payment.merchant_uid", equalTo("order-full"))
                .body("payment.imp_uid", equalTo("imp_order-full"))
                .body("payment.paid_amount", equalTo(10000))
                .body("payment.cancel_amount", equalTo(10000))
                .body("payment.cancelable_amount", equalTo(0))
                .body("payment.status", equalTo("cancelled"))
                .body("payment.pending_refund_id", nullValue())
                .body("refund.merchant_uid", equalTo("order-full"))
                .body("refund.imp_uid", equalTo("imp_order-full"))
                .body("refund.status", equalTo("SUCCEEDED"))
                .body("refund.amount", equalTo(10000))
                .body("refund.reason", equalTo("단순변심"))
                .body("refund.cancellation.cancellation_id", notNullValue())
                .body("refund.cancellation.pg_tid", notNullValue())
                .body("refund.cancellation.cancelled_at", notNullValue());

        List<JsonNode> sent = cancelsSent();
        assertEquals(1, sent.size());
        JsonNode cancel = sent.get(0);
        assertEquals("imp_order-full", cancel.get("imp_uid").asText());
        assertEquals(
                10000,
                cancel.get("amount").asLong(),
                "never 0/absent: that means 'everything' to ChaiPort");
        assertEquals(10000, cancel.get("checksum").asLong());
        assertEquals("단순변심", cancel.get("reason").asText());
        String authorization = chaiPort.calls(Endpoint.CANCEL).get(0).authorization();
        assertFalse(
                authorization.startsWith("Bearer "), "the token goes bare, as the guide sends it");

        Document row = stored("order-full");
        assertEquals(10000, number(row, "cancel_amount"));
        assertEquals("cancelled", row.getString("status"));
        assertEquals(before.get("_id"), row.get("_id"));
        assertEquals(0, row.getInteger("__v"));
        List<Document> history = row.getList("cancel_history", Document.class);
        assertEquals(1, history.size());
        assertEquals(
                atChaiPort("order-full").cancelHistory().get(0).cancellationId(),
                history.get(0).getString("cancellation_id"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-full");
    }

    @Test
    void threePartialRefundsDownToZero() {
        givenPayment("order-parts", "card", 10000);
        long[] amounts = {3000, 2500, 4500};
        long refunded = 0;
        for (int i = 0; i < amounts.length; i++) {
            long expectedChecksum = 10000 - refunded;
            refunded += amounts[i];
            postCancel(
                            Map.of(
                                    "merchant_uid",
                                    "order-parts",
                                    "cancel_request_amount",
                                    amounts[i],
                                    "reason",
                                    "부분환불 " + i))
                    .statusCode(200)
                    .body("payment.cancel_amount", equalTo((int) refunded))
                    .body("payment.cancelable_amount", equalTo((int) (10000 - refunded)))
                    .body("payment.status", equalTo(refunded == 10000 ? "cancelled" : "paid"))
                    .body("refund.amount", equalTo((int) amounts[i]));
            JsonNode cancel = cancelsSent().get(i);
            assertEquals(amounts[i], cancel.get("amount").asLong());
            assertEquals(expectedChecksum, cancel.get("checksum").asLong());
            Document row = stored("order-parts");
            assertEquals(refunded, number(row, "cancel_amount"));
            assertEquals(i + 1, row.getList("cancel_history", Document.class).size());
            assertOrderFree(row);
        }
        assertEquals(3, chaiPort.executedCancels());
        assertStoredEqualsChaiPort("order-parts");

        postCancel(Map.of("merchant_uid", "order-parts", "reason", "again"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("ALREADY_FULLY_REFUNDED"))
                .body("detail", equalTo("이미 전액환불된 주문입니다."));
        assertEquals(3, cancelsSent().size(), "nothing sent once fully refunded");
    }

    @Test
    void alreadyFullyRefundedIsRefusedWithTheGuidesMessageWithoutCallingChaiPort() {
        givenPayment("order-done", "card", 5000);
        payments()
                .updateOne(
                        new Document("merchant_uid", "order-done"),
                        new Document("$set", new Document("cancel_amount", 5000)));

        postCancel(Map.of("merchant_uid", "order-done", "reason", "again"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", startsWith("urn:cancelpay:problem:"))
                .body("title", notNullValue())
                .body("status", equalTo(409))
                .body("code", equalTo("ALREADY_FULLY_REFUNDED"))
                .body("detail", equalTo("이미 전액환불된 주문입니다."));

        assertTrue(chaiPort.calls().isEmpty(), "ChaiPort was called: " + chaiPort.calls());
        Document row = stored("order-done");
        assertEquals(5000, number(row, "cancel_amount"));
        assertOrderFree(row);
    }

    @Test
    void anAmountAboveWhatIsLeftIsRefusedWithTheCancelableAmount() {
        givenPayment("order-over", "card", 10000);
        payments()
                .updateOne(
                        new Document("merchant_uid", "order-over"),
                        new Document("$set", new Document("cancel_amount", 7000)));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-over",
                                "cancel_request_amount",
                                3001,
                                "reason",
                                "too much"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("AMOUNT_EXCEEDS_CANCELABLE"))
                .body("cancelable_amount", equalTo(3000));

        assertTrue(chaiPort.calls().isEmpty());
        Document row = stored("order-over");
        assertEquals(7000, number(row, "cancel_amount"));
        assertOrderFree(row);
    }

    @Test
    void anUnknownOrderIs404() {
        givenPayment("order-known", "card", 1000);

        postCancel(Map.of("merchant_uid", "order-unknown", "reason", "x"))
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("PAYMENT_NOT_FOUND"));

        assertTrue(chaiPort.calls().isEmpty());
        assertEquals(1, payments().countDocuments());
        assertOrderFree(stored("order-known"));
    }

    @Test
    void aVirtualAccountRefundNeedsTheRefundAccount() {
        givenPayment("order-vbank", "vbank", 30000);

        postCancel(Map.of("merchant_uid", "order-vbank", "reason", "환불"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("REFUND_ACCOUNT_REQUIRED"));
        assertTrue(chaiPort.calls().isEmpty());
        assertOrderFree(stored("order-vbank"));
        assertNull(stored("order-vbank").get("cancel_amount"));
    }

    @Test
    void aGuideRowWithoutPayMethodIsCheckedAtChaiPortBeforeAVirtualAccountRefundWithoutAccount() {
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-vbank-guide", "order-vbank-guide", "vbank", 30000));
        payments().insertOne(guideRow("imp_order-vbank-guide", "order-vbank-guide", 30000));

        postCancel(Map.of("merchant_uid", "order-vbank-guide", "reason", "환불"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("REFUND_ACCOUNT_REQUIRED"));
        assertEquals(
                1,
                chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                "asked ChaiPort for the pay method");
        assertTrue(chaiPort.calls(Endpoint.CANCEL).isEmpty());
        assertOrderFree(stored("order-vbank-guide"));
        assertNull(stored("order-vbank-guide").get("cancel_amount"));
    }

    @Test
    void theRefundAccountOfAVirtualAccountRefundReachesChaiPort() {
        givenPayment("order-vbank-ok", "vbank", 30000);

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-vbank-ok",
                                "cancel_request_amount",
                                10000,
                                "reason",
                                "환불",
                                "refund_holder",
                                "홍길동",
                                "refund_bank",
                                "04",
                                "refund_account",
                                "12345678901234"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(10000))
                .body("payment.status", equalTo("paid"));

        JsonNode cancel = cancelsSent().get(0);
        assertEquals("홍길동", cancel.get("refund_holder").asText());
        assertEquals("04", cancel.get("refund_bank").asText());
        assertEquals("12345678901234", cancel.get("refund_account").asText());
        Document row = stored("order-vbank-ok");
        assertEquals(10000, number(row, "cancel_amount"));
        assertFalse(row.toJson().contains("12345678901234"), "the refund account is not stored");
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-vbank-ok");
    }

    @Test
    void aBusinessRefusalByChaiPortIs422WithItsMessageAndTheDriftedRowIsHealedFromChaiPort() {
        givenPayment("order-drift", "card", 10000);
        // ChaiPort already refunded 1000 (e.g. in its console) that our row does not know of: the
        // checksum cannot match.
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-drift", "order-drift", "card", 10000)
                        .withCancelled(1000, "elsewhere"));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-drift",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("PG_REJECTED"))
                .body("pg_code", equalTo(1))
                .body("pg_message", startsWith("[checksum]"));

        assertEquals(1, cancelsSent().size());
        assertEquals(10000, cancelsSent().get(0).get("checksum").asLong());
        assertEquals(0, chaiPort.executedCancels());
        assertEquals(1000, atChaiPort("order-drift").cancelAmount());
        // The refusal was looked into: the row now holds ChaiPort's figures, so the next refund's
        // checksum matches.
        assertEquals(1, chaiPort.calls(Endpoint.GET_PAYMENT).size());
        Document row = stored("order-drift");
        assertEquals(1000, number(row, "cancel_amount"));
        assertOrderFree(row);
        assertStoredEqualsChaiPort("order-drift");

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-drift",
                                "cancel_request_amount",
                                2000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(3000));
        assertEquals(9000, cancelsSent().get(1).get("checksum").asLong());
        assertStoredEqualsChaiPort("order-drift");
    }

    @Test
    void aRowTheDriverCannotReadIsRefusedAndNotLeftLocked() {
        chaiPort.putPayment(
                SandboxPayment.paid("imp_order-fraction", "order-fraction", "card", 10000));
        payments()
                .insertOne(
                        guideRow("imp_order-fraction", "order-fraction", 10000)
                                .append("cancel_amount", 1000.5));

        postCancel(Map.of("merchant_uid", "order-fraction", "reason", "x"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("PAYMENT_RECORD_INVALID"));

        assertTrue(chaiPort.calls().isEmpty());
        Document row = stored("order-fraction");
        assertEquals(1000.5, row.getDouble("cancel_amount"));
        assertOrderFree(row);
    }

    @Test
    void rowsWrittenByTheGuidesMongooseModelAreReadWhateverTheirNumberTypes() {
        List<Object> amounts =
                List.of(12000, 12000L, 12000.0, new Decimal128(new BigDecimal("12000")));
        for (int i = 0; i < amounts.size(); i++) {
            String merchantUid = "order-mongoose-" + i;
            chaiPort.putPayment(
                    SandboxPayment.paid("imp_" + merchantUid, merchantUid, "card", 12000)
                            .withCancelled(2000, "earlier"));
            Document row =
                    guideRow("imp_" + merchantUid, merchantUid, amounts.get(i))
                            .append("cancel_amount", i % 2 == 0 ? (Object) 2000.0 : (Object) 2000)
                            .append("buyer_name", "김고객")
                            .append("memo", new Document("gift", true));
            payments().insertOne(row);

            postCancel(
                            Map.of(
                                    "merchant_uid",
                                    merchantUid,
                                    "cancel_request_amount",
                                    4000,
                                    "reason",
                                    "x"))
                    .statusCode(200)
                    .body("payment.paid_amount", equalTo(12000))
                    .body("payment.cancel_amount", equalTo(6000))
                    .body("payment.cancelable_amount", equalTo(6000));

            assertEquals(
                    10000,
                    cancelsSent().get(i).get("checksum").asLong(),
                    "checksum for " + amounts.get(i));
            Document after = stored(merchantUid);
            assertEquals(row.get("_id"), after.get("_id"));
            assertEquals(0, after.getInteger("__v"));
            assertEquals(amounts.get(i), after.get("amount"), "amount is not rewritten");
            assertEquals("김고객", after.getString("buyer_name"));
            assertEquals(new Document("gift", true), after.get("memo", Document.class));
            assertEquals(6000, number(after, "cancel_amount"));
            assertEquals(
                    "card", after.getString("pay_method"), "learned from ChaiPort once, then kept");
            assertEquals(
                    i + 1,
                    chaiPort.calls(Endpoint.GET_PAYMENT).size(),
                    "one look-up of the pay method per row");
            assertOrderFree(after);
            assertStoredEqualsChaiPort(merchantUid);
        }

        // The row now knows its pay method: the next refund does not ask again.
        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-mongoose-0",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "y"))
                .statusCode(200);
        assertEquals(amounts.size(), chaiPort.calls(Endpoint.GET_PAYMENT).size());
        assertStoredEqualsChaiPort("order-mongoose-0");
    }

    @Test
    void aRowWithoutAnAmountIsRefusedNotGuessed() {
        chaiPort.putPayment(SandboxPayment.paid("imp_order-broken", "order-broken", "card", 1000));
        payments()
                .insertOne(
                        new Document("imp_uid", "imp_order-broken")
                                .append("merchant_uid", "order-broken"));

        postCancel(Map.of("merchant_uid", "order-broken", "reason", "x"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("PAYMENT_RECORD_INVALID"));
        assertTrue(chaiPort.calls().isEmpty());
        assertOrderFree(stored("order-broken"));
    }

    @Test
    void anOrderLockedByAnotherRefundIs409WithRetryAfter() {
        givenPayment("order-locked", "card", 10000);
        givenLockHeldBy("order-locked", "another-request", Instant.now().plusSeconds(60));

        postCancel(Map.of("merchant_uid", "order-locked", "reason", "x"))
                .statusCode(409)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("REFUND_IN_PROGRESS"));

        assertTrue(chaiPort.calls().isEmpty());
        Document row = stored("order-locked");
        assertEquals(
                "another-request",
                collection("refund_locks")
                        .find(new Document("_id", "order-locked"))
                        .first()
                        .getString("token"),
                "someone else's lock is left alone");
        assertTrue(ledger("order-locked").isEmpty(), "nothing recorded");
        assertNull(row.get("cancel_amount"));
    }

    @Test
    void aLockWhoseLeaseRanOutIsTakenOver() {
        givenPayment("order-stale-lock", "card", 10000);
        givenLockHeldBy("order-stale-lock", "crashed-request", Instant.now().minusSeconds(1));

        postCancel(
                        Map.of(
                                "merchant_uid",
                                "order-stale-lock",
                                "cancel_request_amount",
                                1000,
                                "reason",
                                "x"))
                .statusCode(200)
                .body("payment.cancel_amount", equalTo(1000));

        assertEquals(1, chaiPort.executedCancels());
        assertOrderFree(stored("order-stale-lock"));
        assertStoredEqualsChaiPort("order-stale-lock");
    }
}
