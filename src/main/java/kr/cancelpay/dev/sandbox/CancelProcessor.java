package kr.cancelpay.dev.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /payments/cancel}: V1's validation rules, in V1's order, and the execution.
 *
 * <p>Everything from reading the payment to storing the result happens under that payment's lock,
 * so the checksum ("what the merchant believes is left") is compared with the balance the cancel
 * will actually change. That is V1's only double-refund guard, and the sandbox must not weaken it.
 */
final class CancelProcessor {

    static final String NOT_FOUND = "취소할 결제건이 존재하지 않습니다.";
    static final String NOT_PAID = "결제완료되지 않은 결제건은 취소할 수 없습니다.";
    static final String ALREADY_CANCELLED = "이미 전액취소된 주문입니다.";
    static final String INVALID_AMOUNT = "취소요청금액이 올바르지 않습니다.";
    static final String AMOUNT_TOO_LARGE = "취소요청금액(%s)이 취소가능잔액(%d)보다 큽니다.";
    static final String CHECKSUM_MISMATCH = "[checksum] 취소가능잔액이 일치하지 않습니다. (요청: %s, 실제: %d)";
    static final String VBANK_REFUND_ACCOUNT_REQUIRED =
            "가상계좌 환불 시 환불계좌정보(refund_holder, refund_bank, refund_account)가 필요합니다.";
    static final String TOO_LONG = "%s는 최대 %d자까지 입력할 수 있습니다. (요청: %d자)";
    static final String INVALID_TAX_FREE = "취소 면세금액(tax_free)이 올바르지 않습니다. (요청: %s)";
    static final String TAX_FREE_OVER_AMOUNT = "취소 면세금액(tax_free: %d)이 취소요청금액(%d)보다 큽니다.";
    static final String TAX_FREE_OVER_REMAINING = "취소 면세금액(tax_free: %d)이 취소가능 면세금액(%d)보다 큽니다.";
    static final String TAX_FREE_REQUIRED = "면세금액이 포함된 결제건은 부분취소시 면세금액(tax_free) 필수입니다.";
    static final String INVALID_VAT_AMOUNT = "취소 부가세(vat_amount)가 올바르지 않습니다. (요청: %s)";
    static final String VAT_AMOUNT_OVER_AMOUNT = "취소 부가세(vat_amount: %d)가 취소요청금액(%d)보다 큽니다.";
    static final String INVALID_REQUESTER = "extra.requester는 customer 또는 admin이어야 합니다. (요청: %s)";
    static final String REQUESTER_REQUIRED =
            "네이버페이 결제건 취소 시 extra.requester(customer 또는 admin)가 필요합니다.";

    /**
     * The pg_provider whose cancels must say who asked (Swagger: x-portone-per-pg naverpay, extra
     * required).
     */
    static final String NAVERPAY = "naverpay";

    /**
     * The values V1 documents for {@code extra.requester}: the buyer, or the merchant's admin
     * (default).
     */
    private static final Set<String> REQUESTERS = Set.of("customer", "admin");

    /** Field length limits from the V1 documentation, checked in this order. */
    private static final Map<String, Integer> MAX_LENGTHS = new LinkedHashMap<>();

    static {
        MAX_LENGTHS.put("reason", 256);
        MAX_LENGTHS.put("refund_holder", 16);
        MAX_LENGTHS.put("refund_bank", 4);
        MAX_LENGTHS.put("refund_account", 16);
    }

    /** Either the payment after an executed cancel, or the reason nothing happened. */
    record Outcome(SandboxPayment payment, String rejection) {
        static Outcome executed(SandboxPayment payment) {
            return new Outcome(payment, null);
        }

        static Outcome rejected(String message) {
            return new Outcome(null, message);
        }
    }

    private final PaymentBook book;
    private final SandboxClock clock;

    CancelProcessor(PaymentBook book, SandboxClock clock) {
        this.book = book;
        this.clock = clock;
    }

    Outcome cancel(JsonNode params) {
        String impUid = text(params, "imp_uid");
        String merchantUid = text(params, "merchant_uid");
        // imp_uid wins; an unknown imp_uid fails even when merchant_uid would match (as in V1).
        Optional<SandboxPayment> target =
                impUid != null
                        ? book.byImpUid(impUid)
                        : merchantUid != null
                                ? book.byMerchantUid(merchantUid, null)
                                : Optional.empty();
        if (target.isEmpty()) {
            return Outcome.rejected(NOT_FOUND);
        }
        String key = target.get().impUid();
        return book.withPaymentLock(key, () -> cancelLocked(key, params));
    }

    private Outcome cancelLocked(String impUid, JsonNode params) {
        // Re-read under the lock: a concurrent cancel may have changed the payment since the
        // lookup.
        SandboxPayment payment = book.byImpUid(impUid).orElse(null);
        if (payment == null) {
            return Outcome.rejected(NOT_FOUND);
        }
        boolean cancelled = SandboxPayment.STATUS_CANCELLED.equals(payment.status());
        if (!cancelled && !SandboxPayment.STATUS_PAID.equals(payment.status())) {
            return Outcome.rejected(NOT_PAID);
        }
        long remaining = payment.remainingAmount();
        if (remaining <= 0 || cancelled) {
            return Outcome.rejected(ALREADY_CANCELLED);
        }

        BigDecimal requested;
        try {
            requested = number(params.get("amount"));
        } catch (NumberFormatException e) {
            return Outcome.rejected(INVALID_AMOUNT);
        }
        if (requested != null && (requested.signum() < 0 || isFractional(requested))) {
            return Outcome.rejected(INVALID_AMOUNT);
        }
        if (requested != null && requested.compareTo(BigDecimal.valueOf(remaining)) > 0) {
            return Outcome.rejected(AMOUNT_TOO_LARGE.formatted(plain(requested), remaining));
        }
        // Omitted or 0 means "everything that is left".
        long amount =
                requested == null || requested.signum() == 0
                        ? remaining
                        : requested.longValueExact();

        String checksumProblem = checksumProblem(params.get("checksum"), remaining);
        if (checksumProblem != null) {
            return Outcome.rejected(checksumProblem);
        }

        if ("vbank".equals(payment.payMethod())
                && (text(params, "refund_holder") == null
                        || text(params, "refund_bank") == null
                        || text(params, "refund_account") == null)) {
            return Outcome.rejected(VBANK_REFUND_ACCOUNT_REQUIRED);
        }

        for (Map.Entry<String, Integer> limit : MAX_LENGTHS.entrySet()) {
            String value = text(params, limit.getKey());
            int length = value == null ? 0 : value.codePointCount(0, value.length());
            if (length > limit.getValue()) {
                return Outcome.rejected(
                        TOO_LONG.formatted(limit.getKey(), limit.getValue(), length));
            }
        }

        // tax_free, vat_amount and extra.requester: PG-specific in V1, checked last, before
        // anything moves.
        Long taxFree;
        try {
            taxFree = wholeAmount(params.get("tax_free"));
        } catch (NumberFormatException e) {
            return Outcome.rejected(INVALID_TAX_FREE.formatted(raw(params.get("tax_free"))));
        }
        if (taxFree != null && taxFree > amount) {
            return Outcome.rejected(TAX_FREE_OVER_AMOUNT.formatted(taxFree, amount));
        }
        if (taxFree != null && taxFree > payment.remainingTaxFree()) {
            return Outcome.rejected(
                    TAX_FREE_OVER_REMAINING.formatted(taxFree, payment.remainingTaxFree()));
        }
        // "누락되면 0원처리" is how V1 reads a missing tax_free, but a PARTIAL cancel of a payment with a
        // tax-free part cannot guess the split (Swagger, smartro_v2: 부분취소시 ... tax_free 필수).
        if (taxFree == null && amount < remaining && payment.taxFree() > 0) {
            return Outcome.rejected(TAX_FREE_REQUIRED);
        }

        Long vatAmount;
        try {
            vatAmount = wholeAmount(params.get("vat_amount"));
        } catch (NumberFormatException e) {
            return Outcome.rejected(INVALID_VAT_AMOUNT.formatted(raw(params.get("vat_amount"))));
        }
        if (vatAmount != null && vatAmount > amount) {
            return Outcome.rejected(VAT_AMOUNT_OVER_AMOUNT.formatted(vatAmount, amount));
        }

        String requesterProblem = requesterProblem(params.get("extra"), payment.pgProvider());
        if (requesterProblem != null) {
            return Outcome.rejected(requesterProblem);
        }

        // A full cancel without tax_free cancels whatever is left of the tax-free part with the
        // rest, so
        // a fully cancelled payment has its whole tax-free part cancelled too.
        long cancelledTaxFree =
                taxFree != null
                        ? taxFree
                        : amount == remaining
                                ? Math.max(0, Math.min(amount, payment.remainingTaxFree()))
                                : 0;
        SandboxCancel entry =
                SandboxCancel.create(
                        impUid,
                        amount,
                        cancelledTaxFree,
                        clock.epochSecond(),
                        text(params, "reason"));
        SandboxPayment updated = payment.withCancel(entry);
        book.recordExecutedCancel(updated);
        return Outcome.executed(updated);
    }

    /**
     * {@code null} when the checksum is absent/null or matches; otherwise the rejection message.
     */
    private static String checksumProblem(JsonNode checksum, long remaining) {
        try {
            BigDecimal value = number(checksum);
            if (value == null || value.compareTo(BigDecimal.valueOf(remaining)) == 0) {
                return null;
            }
            return CHECKSUM_MISMATCH.formatted(plain(value), remaining);
        } catch (NumberFormatException e) {
            return CHECKSUM_MISMATCH.formatted(checksum.asText(), remaining);
        }
    }

    /**
     * {@code null} when {@code extra.requester} is fine for a payment through {@code pgProvider};
     * otherwise the rejection message. Form bodies arrive here in the same shape as JSON ones:
     * {@link SandboxJson#parseBody} nests {@code extra[requester]=customer} into {@code
     * extra.requester}.
     */
    private static String requesterProblem(JsonNode extra, String pgProvider) {
        JsonNode requester = extra != null && extra.isObject() ? extra.get("requester") : null;
        boolean absent =
                requester == null
                        || requester.isNull()
                        || (requester.isTextual() && requester.asText().isBlank());
        if (absent) {
            return NAVERPAY.equals(pgProvider) ? REQUESTER_REQUIRED : null;
        }
        if (!requester.isTextual() || !REQUESTERS.contains(requester.asText())) {
            return INVALID_REQUESTER.formatted(raw(requester));
        }
        return null;
    }

    /**
     * An optional whole, non-negative amount ({@code tax_free}, {@code vat_amount}): {@code null}
     * when absent, JSON null or blank; NumberFormatException for anything else that is not such a
     * number.
     */
    private static Long wholeAmount(JsonNode node) {
        BigDecimal value = number(node);
        if (value == null) {
            return null;
        }
        if (value.signum() < 0 || isFractional(value)) {
            throw new NumberFormatException("not a whole amount >= 0: " + value);
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new NumberFormatException("amount out of range: " + value);
        }
    }

    /** A parameter as the caller sent it, for rejection messages. */
    private static String raw(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * A numeric parameter: JSON numbers, or numeric strings (form bodies only carry strings).
     * {@code null} when absent, JSON null or blank; NumberFormatException for anything else.
     */
    private static BigDecimal number(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return new BigDecimal(node.asText().trim());
        }
        throw new NumberFormatException("not a number: " + node);
    }

    /** A text parameter, {@code null} when absent, JSON null or blank. */
    private static String text(JsonNode params, String field) {
        JsonNode node = params.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }

    private static boolean isFractional(BigDecimal value) {
        return value.stripTrailingZeros().scale() > 0;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
