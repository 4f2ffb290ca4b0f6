package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import kr.cancelpay.model.PendingRefund;
import kr.cancelpay.model.Refund;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The {@code payment} of every answer: a payment's figures, each named for what it counts, so a
 * caller never has to guess which amount is the payment's and which the refund's. The only place
 * that renders them, from the stored row or from the order a refund request just worked on.
 *
 * @param paidAmount what was paid (the row's {@code amount})
 * @param cancelAmount refunded so far, ChaiPort's cumulative figure as last synced
 * @param cancelableAmount what is left to refund: {@code paidAmount - cancelAmount}
 * @param status ChaiPort's payment status ({@code paid}, {@code cancelled}, ...)
 * @param pendingRefundId the refund whose outcome the order waits for (it takes no other refund
 *     meanwhile)
 */
@RegisterForReflection
@Schema(
        name = "PaymentFigures",
        description =
                "A payment's figures, ChaiPort's as last synced; a field the stored row lacks (or holds in another type) "
                        + "is null")
public record PaymentFigures(
        @Schema(nullable = true) @JsonProperty("merchant_uid") String merchantUid,
        @Schema(nullable = true) @JsonProperty("imp_uid") String impUid,
        @Schema(nullable = true) @JsonProperty("pay_method") String payMethod,
        @Schema(
                        nullable = true,
                        description =
                                "What was paid (the stored row's amount); null when the row holds no whole number")
                @JsonProperty("paid_amount")
                Long paidAmount,
        @Schema(description = "Refunded so far, all refunds of the payment together")
                @JsonProperty("cancel_amount")
                long cancelAmount,
        @Schema(nullable = true, description = "paid_amount - cancel_amount")
                @JsonProperty("cancelable_amount")
                Long cancelableAmount,
        @Schema(nullable = true, description = "ChaiPort's payment status: paid, cancelled, ...")
                @JsonProperty("status")
                String status,
        @Schema(
                        nullable = true,
                        description =
                                "The refund whose outcome the order waits for; it takes no other refund meanwhile")
                @JsonProperty("pending_refund_id")
                String pendingRefundId) {

    /**
     * The payment as stored, read from the raw row, tolerant of whatever else the merchant keeps.
     */
    static PaymentFigures of(Document row) {
        Long paid = whole(row.get("amount"));
        Long refunded = whole(row.get("cancel_amount"));
        long cancelAmount = refunded == null ? 0 : refunded;
        return new PaymentFigures(
                text(row.get("merchant_uid")),
                text(row.get("imp_uid")),
                text(row.get("pay_method")),
                paid,
                cancelAmount,
                paid == null ? null : paid - cancelAmount,
                text(row.get("status")),
                row.get(PendingRefund.FIELD) instanceof Document pending
                        ? text(pending.get("refund_id"))
                        : null);
    }

    /**
     * The payment right after ChaiPort executed {@code refund}, from ChaiPort's figures recorded
     * with it (the row may not hold them yet): what a 200 answers.
     */
    static PaymentFigures afterRefund(Order order, Refund refund) {
        Refund.Cancellation how = refund.cancellation();
        long cancelAmount =
                how != null && how.paymentCancelAmount() != null
                        ? how.paymentCancelAmount()
                        : refund.cancelAmountBefore() == null
                                ? refund.amount()
                                : refund.cancelAmountBefore() + refund.amount();
        return new PaymentFigures(
                order.merchantUid(),
                order.impUid(),
                order.payMethod(),
                order.amount(),
                cancelAmount,
                order.amount() == null ? null : order.amount() - cancelAmount,
                how == null ? null : how.paymentStatus(),
                null);
    }

    /**
     * The payment as the request loaded it, waiting for {@code open}: what a 202 answers when the
     * row cannot be read again (ChaiPort's status is then not known here).
     */
    static PaymentFigures waitingFor(Order order, Refund open) {
        return new PaymentFigures(
                order.merchantUid(),
                order.impUid(),
                order.payMethod(),
                order.amount(),
                order.cancelAmount(),
                order.amount() == null ? null : order.amount() - order.cancelAmount(),
                null,
                open.id());
    }

    private static String text(Object value) {
        return value instanceof String string ? string : null;
    }

    /**
     * Any BSON number that holds a whole value (int32, int64, double, decimal128) within a long,
     * else null: a merchant's row may hold anything, and reading it must never fail the answer
     * (Decimal128 NaN and infinities do not convert; negative zero converts only by hand).
     */
    static Long whole(Object value) {
        if (value instanceof Decimal128 decimal) {
            if (decimal.isNaN() || decimal.isInfinite()) {
                return null;
            }
            try {
                value = decimal.bigDecimalValue();
            } catch (ArithmeticException negativeZero) {
                return 0L;
            }
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return decimal.stripTrailingZeros().scale() <= 0 ? decimal.longValueExact() : null;
            } catch (ArithmeticException beyondLong) {
                return null;
            }
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return Double.isFinite(number)
                            && number == Math.rint(number)
                            && Math.abs(number) < 0x1p63
                    ? (long) number
                    : null;
        }
        return value instanceof Long || value instanceof Integer
                ? Long.valueOf(((Number) value).longValue())
                : null;
    }
}
