package kr.cancelpay.dev.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PG-specific cancel parameters {@code tax_free}, {@code vat_amount} and {@code
 * extra.requester} (Swagger subset, POST /payments/cancel), over real HTTP, in JSON and form bodies
 * alike.
 */
class ChaiPortSandboxCancelExtrasTest {

    private static final String KEY = "test_key";
    private static final String SECRET = "test_secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** 10,000 of which 3,000 tax-free, nothing cancelled. */
    private static final String TAX_FREE = "imp_tf";

    /**
     * 10,000 of which 3,000 tax-free; 2,000 (all tax-free) already cancelled: 8,000 left, 1,000 of
     * it tax-free.
     */
    private static final String TAX_FREE_PARTLY_CANCELLED = "imp_tf_seeded";

    /** 10,000, fully taxable. */
    private static final String TAXABLE = "imp_plain";

    /** 10,000 through Naver Pay. */
    private static final String NAVERPAY = "imp_np";

    private static final String TAX_FREE_REQUIRED = "면세금액이 포함된 결제건은 부분취소시 면세금액(tax_free) 필수입니다.";
    private static final String REQUESTER_REQUIRED =
            "네이버페이 결제건 취소 시 extra.requester(customer 또는 admin)가 필요합니다.";

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(WAIT)
                    .build();
    private ChaiPortSandbox sandbox;
    private String token;

    @BeforeEach
    void startSandbox() throws Exception {
        sandbox = new ChaiPortSandbox(KEY, SECRET).start(0);
        sandbox.putPayment(
                SandboxPayment.paid(TAX_FREE, "order_tf", "card", 10000).withTaxFree(3000));
        sandbox.putPayment(
                SandboxPayment.paid(TAX_FREE_PARTLY_CANCELLED, "order_tf_seeded", "card", 10000)
                        .withTaxFree(3000)
                        .withCancelled(2000, 2000, "seed"));
        sandbox.putPayment(SandboxPayment.paid(TAXABLE, "order_plain", "card", 10000));
        sandbox.putPayment(
                SandboxPayment.paid(NAVERPAY, "order_np", "card", 10000)
                        .withPgProvider("naverpay"));
        token = token();
    }

    @AfterEach
    void stopSandbox() {
        sandbox.stop();
    }

    // ---- the rules, one request each
    // -------------------------------------------------------------

    /** One cancel request against the seeded payments and what must come of it. */
    record Case(String name, String impUid, boolean form, String params, Expected expected) {
        @Override
        public String toString() {
            return name + (form ? " [form]" : " [json]");
        }
    }

    /** Either executed (cumulative figures afterwards) or rejected with exactly {@code message}. */
    record Expected(String message, long cancelAmount, long cancelledTaxFree) {
        static Expected executed(long cancelAmount, long cancelledTaxFree) {
            return new Expected(null, cancelAmount, cancelledTaxFree);
        }

        static Expected rejected(String message) {
            return new Expected(message, -1, -1);
        }
    }

    /** {@code params} are written without imp_uid, in the body's own syntax. */
    private static Case json(String name, String impUid, String params, Expected expected) {
        return new Case(name, impUid, false, params, expected);
    }

    private static Case form(String name, String impUid, String params, Expected expected) {
        return new Case(name, impUid, true, params, expected);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // tax_free: a whole number >= 0 ...
                json(
                        "negative tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":-1",
                        Expected.rejected("취소 면세금액(tax_free)이 올바르지 않습니다. (요청: -1)")),
                json(
                        "fractional tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":1.5",
                        Expected.rejected("취소 면세금액(tax_free)이 올바르지 않습니다. (요청: 1.5)")),
                json(
                        "non-numeric tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":\"abc\"",
                        Expected.rejected("취소 면세금액(tax_free)이 올바르지 않습니다. (요청: abc)")),
                json(
                        "boolean tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":true",
                        Expected.rejected("취소 면세금액(tax_free)이 올바르지 않습니다. (요청: true)")),
                form(
                        "non-numeric tax_free",
                        TAX_FREE,
                        "amount=5000&tax_free=abc",
                        Expected.rejected("취소 면세금액(tax_free)이 올바르지 않습니다. (요청: abc)")),
                json(
                        "tax_free 1.0 is whole",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":1.0",
                        Expected.executed(5000, 1)),
                // ... <= the amount being cancelled ...
                json(
                        "tax_free above the amount",
                        TAX_FREE,
                        "\"amount\":1000,\"tax_free\":1500",
                        Expected.rejected("취소 면세금액(tax_free: 1500)이 취소요청금액(1000)보다 큽니다.")),
                form(
                        "tax_free above the amount",
                        TAX_FREE,
                        "amount=1000&tax_free=1001",
                        Expected.rejected("취소 면세금액(tax_free: 1001)이 취소요청금액(1000)보다 큽니다.")),
                json(
                        "tax_free equal to the amount",
                        TAX_FREE,
                        "\"amount\":1000,\"tax_free\":1000",
                        Expected.executed(1000, 1000)),
                // ... and cumulatively <= the payment's tax-free part
                json(
                        "tax_free above the tax-free part",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":3001",
                        Expected.rejected("취소 면세금액(tax_free: 3001)이 취소가능 면세금액(3000)보다 큽니다.")),
                json(
                        "cumulative tax_free above the tax-free part",
                        TAX_FREE_PARTLY_CANCELLED,
                        "\"amount\":2000,\"tax_free\":1001",
                        Expected.rejected("취소 면세금액(tax_free: 1001)이 취소가능 면세금액(1000)보다 큽니다.")),
                form(
                        "cumulative tax_free up to the tax-free part",
                        TAX_FREE_PARTLY_CANCELLED,
                        "amount=2000&tax_free=1000",
                        Expected.executed(4000, 3000)),
                json(
                        "tax_free on a fully taxable payment",
                        TAXABLE,
                        "\"amount\":5000,\"tax_free\":1",
                        Expected.rejected("취소 면세금액(tax_free: 1)이 취소가능 면세금액(0)보다 큽니다.")),
                json(
                        "tax_free 0 on a fully taxable payment",
                        TAXABLE,
                        "\"amount\":5000,\"tax_free\":0",
                        Expected.executed(5000, 0)),
                // a partial cancel of a payment with a tax-free part must say how much of it is
                // tax-free
                json(
                        "partial cancel without tax_free",
                        TAX_FREE,
                        "\"amount\":5000",
                        Expected.rejected(TAX_FREE_REQUIRED)),
                json(
                        "partial cancel with tax_free null",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":null",
                        Expected.rejected(TAX_FREE_REQUIRED)),
                form(
                        "partial cancel without tax_free",
                        TAX_FREE,
                        "amount=5000",
                        Expected.rejected(TAX_FREE_REQUIRED)),
                form(
                        "partial cancel with blank tax_free",
                        TAX_FREE,
                        "amount=5000&tax_free=",
                        Expected.rejected(TAX_FREE_REQUIRED)),
                json(
                        "partial cancel without tax_free after a seeded cancel",
                        TAX_FREE_PARTLY_CANCELLED,
                        "\"amount\":1000",
                        Expected.rejected(TAX_FREE_REQUIRED)),
                json(
                        "partial cancel with tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":2000",
                        Expected.executed(5000, 2000)),
                json(
                        "partial cancel with tax_free 0",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":0",
                        Expected.executed(5000, 0)),
                form(
                        "partial cancel with tax_free",
                        TAX_FREE,
                        "amount=5000&tax_free=2000",
                        Expected.executed(5000, 2000)),
                json(
                        "partial cancel of a fully taxable payment without tax_free",
                        TAXABLE,
                        "\"amount\":5000",
                        Expected.executed(5000, 0)),
                // a full cancel may omit it: whatever is left of the tax-free part goes with the
                // rest
                json(
                        "full cancel (amount omitted) without tax_free",
                        TAX_FREE,
                        "\"reason\":\"전액\"",
                        Expected.executed(10000, 3000)),
                form(
                        "full cancel (amount 0) without tax_free",
                        TAX_FREE,
                        "amount=0",
                        Expected.executed(10000, 3000)),
                json(
                        "full cancel (amount = remaining) without tax_free",
                        TAX_FREE_PARTLY_CANCELLED,
                        "\"amount\":8000",
                        Expected.executed(10000, 3000)),
                json(
                        "full cancel with tax_free",
                        TAX_FREE,
                        "\"amount\":10000,\"tax_free\":3000",
                        Expected.executed(10000, 3000)),

                // vat_amount: a whole number >= 0 and <= the amount being cancelled
                json(
                        "negative vat_amount",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":-1",
                        Expected.rejected("취소 부가세(vat_amount)가 올바르지 않습니다. (요청: -1)")),
                json(
                        "fractional vat_amount",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":454.5",
                        Expected.rejected("취소 부가세(vat_amount)가 올바르지 않습니다. (요청: 454.5)")),
                json(
                        "object vat_amount",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":{\"v\":1}",
                        Expected.rejected("취소 부가세(vat_amount)가 올바르지 않습니다. (요청: {\"v\":1})")),
                form(
                        "non-numeric vat_amount",
                        TAXABLE,
                        "amount=5000&vat_amount=x",
                        Expected.rejected("취소 부가세(vat_amount)가 올바르지 않습니다. (요청: x)")),
                json(
                        "vat_amount above the amount",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":5001",
                        Expected.rejected("취소 부가세(vat_amount: 5001)가 취소요청금액(5000)보다 큽니다.")),
                form(
                        "vat_amount above the amount",
                        TAXABLE,
                        "amount=1000&vat_amount=1001",
                        Expected.rejected("취소 부가세(vat_amount: 1001)가 취소요청금액(1000)보다 큽니다.")),
                json(
                        "vat_amount",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":454",
                        Expected.executed(5000, 0)),
                json(
                        "vat_amount as a string",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":\"454\"",
                        Expected.executed(5000, 0)),
                json(
                        "vat_amount null",
                        TAXABLE,
                        "\"amount\":5000,\"vat_amount\":null",
                        Expected.executed(5000, 0)),
                form(
                        "vat_amount",
                        TAXABLE,
                        "amount=5000&vat_amount=454",
                        Expected.executed(5000, 0)),
                json(
                        "vat_amount equal to the whole remaining amount",
                        TAXABLE,
                        "\"vat_amount\":10000",
                        Expected.executed(10000, 0)),
                json(
                        "vat_amount with tax_free",
                        TAX_FREE,
                        "\"amount\":5000,\"tax_free\":2000,\"vat_amount\":273",
                        Expected.executed(5000, 2000)),

                // extra.requester: customer or admin when present ...
                json(
                        "requester customer",
                        TAXABLE,
                        "\"extra\":{\"requester\":\"customer\"}",
                        Expected.executed(10000, 0)),
                json(
                        "requester admin",
                        TAXABLE,
                        "\"extra\":{\"requester\":\"admin\"}",
                        Expected.executed(10000, 0)),
                json("no extra", TAXABLE, "\"amount\":1000", Expected.executed(1000, 0)),
                json(
                        "extra without requester",
                        TAXABLE,
                        "\"extra\":{}",
                        Expected.executed(10000, 0)),
                form(
                        "requester customer",
                        TAXABLE,
                        "extra[requester]=customer",
                        Expected.executed(10000, 0)),
                json(
                        "unknown requester",
                        TAXABLE,
                        "\"extra\":{\"requester\":\"merchant\"}",
                        Expected.rejected(
                                "extra.requester는 customer 또는 admin이어야 합니다. (요청: merchant)")),
                json(
                        "numeric requester",
                        TAXABLE,
                        "\"extra\":{\"requester\":1}",
                        Expected.rejected("extra.requester는 customer 또는 admin이어야 합니다. (요청: 1)")),
                form(
                        "requester is case-sensitive",
                        TAXABLE,
                        "extra[requester]=Customer",
                        Expected.rejected(
                                "extra.requester는 customer 또는 admin이어야 합니다. (요청: Customer)")),
                // ... and required for Naver Pay
                json(
                        "naverpay without extra",
                        NAVERPAY,
                        "\"amount\":1000",
                        Expected.rejected(REQUESTER_REQUIRED)),
                json(
                        "naverpay with an empty extra",
                        NAVERPAY,
                        "\"extra\":{}",
                        Expected.rejected(REQUESTER_REQUIRED)),
                json(
                        "naverpay with requester null",
                        NAVERPAY,
                        "\"extra\":{\"requester\":null}",
                        Expected.rejected(REQUESTER_REQUIRED)),
                json(
                        "naverpay with extra as a plain string",
                        NAVERPAY,
                        "\"extra\":\"customer\"",
                        Expected.rejected(REQUESTER_REQUIRED)),
                form(
                        "naverpay without extra",
                        NAVERPAY,
                        "amount=1000",
                        Expected.rejected(REQUESTER_REQUIRED)),
                form(
                        "naverpay with a blank requester",
                        NAVERPAY,
                        "extra[requester]=",
                        Expected.rejected(REQUESTER_REQUIRED)),
                form(
                        "naverpay with the flat key requester",
                        NAVERPAY,
                        "requester=customer",
                        Expected.rejected(REQUESTER_REQUIRED)),
                json(
                        "naverpay with requester customer",
                        NAVERPAY,
                        "\"amount\":1000,\"extra\":{\"requester\":\"customer\"}",
                        Expected.executed(1000, 0)),
                json(
                        "naverpay with requester admin",
                        NAVERPAY,
                        "\"extra\":{\"requester\":\"admin\"}",
                        Expected.executed(10000, 0)),
                form(
                        "naverpay with requester customer",
                        NAVERPAY,
                        "amount=1000&extra[requester]=customer",
                        Expected.executed(1000, 0)),
                form(
                        "naverpay with percent-encoded brackets",
                        NAVERPAY,
                        "amount=1000&extra%5Brequester%5D=admin",
                        Expected.executed(1000, 0)),
                form(
                        "naverpay with an unknown requester",
                        NAVERPAY,
                        "extra[requester]=buyer",
                        Expected.rejected(
                                "extra.requester는 customer 또는 admin이어야 합니다. (요청: buyer)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cancelParameters(Case c) throws Exception {
        SandboxPayment before = sandbox.payment(c.impUid()).orElseThrow();
        // Always with the right checksum: these rules come after it and must be what decides.
        HttpResponse<String> response =
                c.form()
                        ? postForm(
                                "/payments/cancel",
                                "imp_uid="
                                        + c.impUid()
                                        + "&checksum="
                                        + before.remainingAmount()
                                        + "&"
                                        + c.params(),
                                token)
                        : post(
                                "/payments/cancel",
                                "{\"imp_uid\":\""
                                        + c.impUid()
                                        + "\",\"checksum\":"
                                        + before.remainingAmount()
                                        + ","
                                        + c.params()
                                        + "}",
                                token);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode envelope = json(response.body());
        SandboxPayment after = sandbox.payment(c.impUid()).orElseThrow();
        if (c.expected().message() != null) {
            assertEquals(1, envelope.get("code").asInt(), envelope.toString());
            assertEquals(c.expected().message(), envelope.get("message").asText());
            assertTrue(envelope.get("response").isNull());
            assertEquals(before, after, "nothing executed");
            assertEquals(0, sandbox.executedCancels());
        } else {
            assertEquals(0, envelope.get("code").asInt(), envelope.toString());
            JsonNode payment = envelope.get("response");
            assertEquals(c.expected().cancelAmount(), payment.get("cancel_amount").asLong());
            assertEquals(c.expected().cancelAmount(), after.cancelAmount());
            assertEquals(c.expected().cancelledTaxFree(), after.cancelledTaxFree());
            assertEquals(before.cancelHistory().size() + 1, after.cancelHistory().size());
            assertEquals(
                    after.cancelHistory().stream().mapToLong(SandboxCancel::amount).sum(),
                    after.cancelAmount(),
                    "cancel_amount == sum(cancel_history.amount)");
            assertEquals(1, sandbox.executedCancels());
            assertNoTaxFreeInTheApiView(payment);
        }
    }

    // ---- order of the checks -----------------------------------------------------------------

    @Test
    void theExistingChecksComeFirst() throws Exception {
        sandbox.putPayment(
                SandboxPayment.paid("imp_v", "order_v", "vbank", 50000)
                        .withTaxFree(5000)
                        .withPgProvider("naverpay"));

        assertRejected(
                "{\"imp_uid\":\"imp_tf\",\"amount\":20000,\"tax_free\":-1}",
                "취소요청금액(20000)이 취소가능잔액(10000)보다 큽니다.");
        assertRejected(
                "{\"imp_uid\":\"imp_tf\",\"amount\":5000,\"checksum\":9999}",
                "[checksum] 취소가능잔액이 일치하지 않습니다. (요청: 9999, 실제: 10000)");
        assertRejected(
                "{\"imp_uid\":\"imp_np\",\"checksum\":1,\"extra\":{\"requester\":\"nobody\"}}",
                "[checksum] 취소가능잔액이 일치하지 않습니다. (요청: 1, 실제: 10000)");
        assertRejected(
                "{\"imp_uid\":\"imp_v\",\"amount\":1000,\"tax_free\":\"x\"}",
                "가상계좌 환불 시 환불계좌정보(refund_holder, refund_bank, refund_account)가 필요합니다.");
        assertRejected(
                "{\"imp_uid\":\"imp_v\",\"amount\":1000,\"refund_holder\":\"홍길동\",\"refund_bank\":\"BK004\","
                        + "\"refund_account\":\"1\"}",
                "refund_bank는 최대 4자까지 입력할 수 있습니다. (요청: 5자)");
        assertEquals(0, sandbox.executedCancels());
    }

    @Test
    void amongTheNewChecksTaxFreeThenVatAmountThenRequester() throws Exception {
        sandbox.putPayment(
                SandboxPayment.paid("imp_all", "order_all", "card", 10000)
                        .withTaxFree(3000)
                        .withPgProvider("naverpay"));

        assertRejected(
                "{\"imp_uid\":\"imp_all\",\"amount\":5000,\"vat_amount\":-1}", TAX_FREE_REQUIRED);
        assertRejected(
                "{\"imp_uid\":\"imp_all\",\"amount\":5000,\"tax_free\":1000,\"vat_amount\":-1}",
                "취소 부가세(vat_amount)가 올바르지 않습니다. (요청: -1)");
        assertRejected(
                "{\"imp_uid\":\"imp_all\",\"amount\":5000,\"tax_free\":1000,\"vat_amount\":400}",
                REQUESTER_REQUIRED);
        assertEquals(0, sandbox.executedCancels());
        assertEquals(0, sandbox.payment("imp_all").orElseThrow().cancelAmount());

        cancelOk(
                "{\"imp_uid\":\"imp_all\",\"amount\":5000,\"tax_free\":1000,\"vat_amount\":400,"
                        + "\"extra\":{\"requester\":\"customer\"}}");
        assertEquals(1000, sandbox.payment("imp_all").orElseThrow().cancelledTaxFree());
    }

    // ---- cumulative tax-free over several cancels --------------------------------------------

    @Test
    void taxFreeAccumulatesAcrossCancelsUntilThePartIsUsedUp() throws Exception {
        cancelOk("{\"imp_uid\":\"imp_tf\",\"amount\":2000,\"tax_free\":2000,\"checksum\":10000}");
        JsonNode second =
                json(
                        postForm(
                                        "/payments/cancel",
                                        "imp_uid=imp_tf&amount=3000&tax_free=1000&checksum=8000",
                                        token)
                                .body());
        assertEquals(0, second.get("code").asInt(), second.toString());
        assertEquals(3000, sandbox.payment("imp_tf").orElseThrow().cancelledTaxFree());
        assertEquals(0, sandbox.payment("imp_tf").orElseThrow().remainingTaxFree());

        assertRejected(
                "{\"imp_uid\":\"imp_tf\",\"amount\":1000,\"tax_free\":1}",
                "취소 면세금액(tax_free: 1)이 취소가능 면세금액(0)보다 큽니다.");
        // the tax-free part is used up, but the payment still has one, so a partial cancel must say
        // tax_free 0
        assertRejected("{\"imp_uid\":\"imp_tf\",\"amount\":1000}", TAX_FREE_REQUIRED);
        cancelOk("{\"imp_uid\":\"imp_tf\",\"amount\":1000,\"tax_free\":0}");
        cancelOk("{\"imp_uid\":\"imp_tf\"}");

        SandboxPayment payment = sandbox.payment("imp_tf").orElseThrow();
        assertEquals("cancelled", payment.status());
        assertEquals(
                List.of(2000L, 3000L, 1000L, 4000L),
                payment.cancelHistory().stream().map(SandboxCancel::amount).toList());
        assertEquals(
                List.of(2000L, 1000L, 0L, 0L),
                payment.cancelHistory().stream().map(SandboxCancel::taxFree).toList());
        assertEquals(10000, payment.cancelAmount());
        assertEquals(4, sandbox.executedCancels());
    }

    // ---- identifiers of executed cancels -----------------------------------------------------

    @Test
    void everyCancelHistoryEntryHasItsOwnCancellationIdAndPgTid() throws Exception {
        for (int i = 0; i < 5; i++) {
            cancelOk("{\"imp_uid\":\"imp_plain\",\"amount\":1000}");
            postForm(
                    "/payments/cancel", "imp_uid=imp_np&amount=1000&extra[requester]=admin", token);
        }
        cancelOk("{\"imp_uid\":\"imp_tf_seeded\"}"); // after a seeded cancel
        assertEquals(11, sandbox.executedCancels());

        Set<String> cancellationIds = new HashSet<>();
        Set<String> pgTids = new HashSet<>();
        int entries = 0;
        for (String impUid : List.of(TAXABLE, NAVERPAY, TAX_FREE_PARTLY_CANCELLED)) {
            JsonNode history =
                    json(get("/payments/" + impUid, token).body())
                            .get("response")
                            .get("cancel_history");
            for (JsonNode entry : history) {
                entries++;
                assertTrue(
                        entry.get("cancellation_id").isTextual()
                                && !entry.get("cancellation_id").asText().isBlank(),
                        entry.toString());
                assertTrue(
                        entry.get("pg_tid").isTextual() && !entry.get("pg_tid").asText().isBlank(),
                        entry.toString());
                cancellationIds.add(entry.get("cancellation_id").asText());
                pgTids.add(entry.get("pg_tid").asText());
            }
        }
        assertEquals(12, entries, "5 + 5 + (1 seeded + 1)");
        assertEquals(entries, cancellationIds.size(), "cancellation_id unique across payments");
        assertEquals(entries, pgTids.size(), "pg_tid unique across payments");
    }

    // ---- form bodies as recorded -------------------------------------------------------------

    @Test
    void formBracketsAreRecordedNestedLikeJson() throws Exception {
        postForm(
                "/payments/cancel",
                "imp_uid=imp_np&amount=1000&extra%5Brequester%5D=customer&a[b][c]=1&list[]=x"
                        + "&open[=y&plain=1&plain[k]=2",
                token);
        post(
                "/payments/cancel",
                "{\"imp_uid\":\"imp_np\",\"amount\":1000,\"extra\":{\"requester\":\"customer\"}}",
                token);

        List<RecordedCall> calls = sandbox.calls(Endpoint.CANCEL);
        JsonNode formBody = calls.get(0).body();
        JsonNode jsonBody = calls.get(1).body();
        assertEquals("customer", formBody.get("extra").get("requester").asText());
        assertEquals(
                jsonBody.get("extra"), formBody.get("extra"), "the same shape as the JSON body");
        assertNull(formBody.get("extra[requester]"));
        assertEquals("1", formBody.get("a").get("b").get("c").asText());
        assertEquals("x", formBody.get("list[]").asText(), "array syntax stays a flat key");
        assertEquals("y", formBody.get("open[").asText(), "so do unbalanced brackets");
        assertEquals("2", formBody.get("plain").get("k").asText(), "the later field wins");
        assertEquals(2, sandbox.executedCancels());
    }

    // ---- seeding helpers and persistence -----------------------------------------------------

    @Test
    void seedingHelpersValidateAndKeepEverythingElse() {
        SandboxPayment paid = SandboxPayment.paid("imp_s", "order_s", "vbank", 10000);
        assertEquals(0, paid.taxFree());
        SandboxPayment seeded =
                paid.withTaxFree(3000).withPgProvider("naverpay").withCancelled(4000, 1000, "seed");
        assertEquals(3000, seeded.taxFree());
        assertEquals("naverpay", seeded.pgProvider());
        assertEquals("vbank", seeded.payMethod());
        assertEquals(4000, seeded.cancelAmount());
        assertEquals(1000, seeded.cancelledTaxFree());
        assertEquals(2000, seeded.remainingTaxFree());

        assertThrows(IllegalArgumentException.class, () -> paid.withTaxFree(-1));
        assertThrows(IllegalArgumentException.class, () -> paid.withTaxFree(10001));
        assertThrows(
                IllegalArgumentException.class,
                () -> seeded.withTaxFree(999),
                "below what was cancelled of it");
        assertThrows(
                IllegalArgumentException.class,
                () -> seeded.withCancelled(1000, 1001, "x"),
                "above the amount");
        assertThrows(
                IllegalArgumentException.class,
                () -> seeded.withCancelled(3000, 2001, "x"),
                "above what is left");
        assertThrows(IllegalArgumentException.class, () -> seeded.withCancelled(1000, -1, "x"));
        assertThrows(NullPointerException.class, () -> paid.withPgProvider(null));
        assertEquals(
                0,
                paid.withCancelled(1000, "seed").cancelledTaxFree(),
                "the old seeding helper cancels taxable");
    }

    @Test
    void taxFreeIsInTheSnapshotButNotInTheApiView(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("payments.json");
        sandbox.persistTo(file);
        cancelOk("{\"imp_uid\":\"imp_tf\",\"amount\":5000,\"tax_free\":2000}");

        JsonNode stored = json(Files.readString(file));
        JsonNode storedTaxFree = null;
        for (JsonNode p : stored) {
            if (p.get("imp_uid").asText().equals("imp_tf")) {
                storedTaxFree = p;
            }
        }
        assertNotNull(storedTaxFree);
        assertEquals(3000, storedTaxFree.get("tax_free").asLong());
        assertEquals(2000, storedTaxFree.get("cancel_history").get(0).get("tax_free").asLong());

        try (ChaiPortSandbox reloaded = new ChaiPortSandbox(KEY, SECRET)) {
            reloaded.persistTo(file);
            assertEquals(sandbox.payments(), reloaded.payments());
            assertEquals(2000, reloaded.payment("imp_tf").orElseThrow().cancelledTaxFree());
            assertEquals("naverpay", reloaded.payment("imp_np").orElseThrow().pgProvider());
        }

        assertNoTaxFreeInTheApiView(json(get("/payments/imp_tf", token).body()).get("response"));
    }

    @Test
    void snapshotsWrittenBeforeTaxFreeLoadAsFullyTaxable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(
                file,
                """
                [{"imp_uid":"imp_old","merchant_uid":"order_old","pay_method":"card","pg_provider":"html5_inicis",
                  "amount":10000,"cancel_amount":1000,"currency":"KRW","status":"paid","paid_at":1,"cancelled_at":2,
                  "cancel_reason":"seed","receipt_url":null,
                  "cancel_history":[{"pg_tid":"t","amount":1000,"cancelled_at":2,"reason":"seed",
                                     "cancellation_id":"c","receipt_url":null}]}]
                """);
        try (ChaiPortSandbox old = new ChaiPortSandbox(KEY, SECRET)) {
            old.persistTo(file);
            SandboxPayment payment = old.payment("imp_old").orElseThrow();
            assertEquals(0, payment.taxFree());
            assertEquals(0, payment.cancelledTaxFree());
            assertEquals(
                    new SandboxCancel("t", 1000, 2, "seed", "c", null),
                    payment.cancelHistory().get(0));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void assertNoTaxFreeInTheApiView(JsonNode payment) {
        assertFalse(payment.has("tax_free"), "V1's Payment object has no tax_free: " + payment);
        for (JsonNode entry : payment.get("cancel_history")) {
            assertFalse(entry.has("tax_free"), "nor has its cancel_history: " + entry);
        }
    }

    private String token() throws Exception {
        HttpResponse<String> response =
                post(
                        "/users/getToken",
                        "{\"imp_key\":\"" + KEY + "\",\"imp_secret\":\"" + SECRET + "\"}",
                        null);
        assertEquals(200, response.statusCode());
        return json(response.body()).get("response").get("access_token").asText();
    }

    private void cancelOk(String body) throws Exception {
        HttpResponse<String> response = post("/payments/cancel", body, token);
        assertEquals(200, response.statusCode());
        JsonNode envelope = json(response.body());
        assertEquals(0, envelope.get("code").asInt(), envelope.toString());
        assertNoTaxFreeInTheApiView(envelope.get("response"));
    }

    /**
     * Business failure: HTTP 200, code 1, exactly {@code message}, no response, nothing executed.
     */
    private void assertRejected(String body, String message) throws Exception {
        int executedBefore = sandbox.executedCancels();
        List<SandboxPayment> before = sandbox.payments();
        HttpResponse<String> response = post("/payments/cancel", body, token);
        assertEquals(200, response.statusCode());
        JsonNode envelope = json(response.body());
        assertEquals(1, envelope.get("code").asInt(), envelope.toString());
        assertEquals(message, envelope.get("message").asText());
        assertTrue(envelope.get("response").isNull());
        assertEquals(executedBefore, sandbox.executedCancels());
        assertEquals(before, sandbox.payments(), "nothing executed");
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(sandbox.url() + path)).timeout(WAIT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> get(String path, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form, String authorization)
            throws IOException, InterruptedException {
        return http.send(
                request(path, authorization)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
