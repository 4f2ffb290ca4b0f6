package kr.cancelpay.service;

import java.util.Date;
import java.util.List;

import org.bson.Document;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import kr.cancelpay.model.PendingRefund;

/**
 * A stored payment and its refunds, for {@code GET /payments/{merchant_uid}} and the webhook's
 * answer. Read from the raw document, tolerant of whatever else the merchant stores in it.
 */
@RegisterForReflection
public record PaymentView(
        @JsonProperty("merchant_uid") String merchantUid,
        @JsonProperty("imp_uid") String impUid,
        @JsonProperty("pay_method") String payMethod,
        @JsonProperty("amount") Long amount,
        @JsonProperty("cancel_amount") long cancelAmount,
        @JsonProperty("cancelable_amount") Long cancelableAmount,
        @JsonProperty("status") String status,
        @JsonProperty("refunds") List<Refund> refunds,
        @JsonProperty("pending_refund") Pending pendingRefund) {

    @RegisterForReflection
    public record Refund(
            @JsonProperty("amount") Long amount,
            @JsonProperty("reason") String reason,
            @JsonProperty("cancelled_at") String cancelledAt,
            @JsonProperty("cancellation_id") String cancellationId,
            @JsonProperty("pg_tid") String pgTid,
            @JsonProperty("receipt_url") String receiptUrl) {
    }

    /** A refund sent to ChaiPort whose outcome is not settled yet. */
    @RegisterForReflection
    public record Pending(
            @JsonProperty("refund_id") String refundId,
            @JsonProperty("amount") Long amount,
            @JsonProperty("requested_at") String requestedAt) {
    }

    static PaymentView of(Document row) {
        Long amount = whole(row.get("amount"));
        long cancelAmount = whole(row.get("cancel_amount")) == null ? 0 : whole(row.get("cancel_amount"));
        List<Refund> refunds = row.get("cancel_history") instanceof List<?> history
                ? history.stream().filter(Document.class::isInstance).map(Document.class::cast)
                        .map(entry -> new Refund(whole(entry.get("amount")), text(entry.get("reason")),
                                OrderSettlement.isoSeconds(whole(entry.get("cancelled_at"))), text(entry.get("cancellation_id")),
                                text(entry.get("pg_tid")), text(entry.get("receipt_url"))))
                        .toList()
                : List.of();
        Pending pending = row.get(PendingRefund.FIELD) instanceof Document p
                ? new Pending(text(p.get("refund_id")), whole(p.get("amount")),
                        p.get("requested_at") instanceof Date at ? at.toInstant().toString() : null)
                : null;
        return new PaymentView(text(row.get("merchant_uid")), text(row.get("imp_uid")), text(row.get("pay_method")),
                amount, cancelAmount, amount == null ? null : amount - cancelAmount, text(row.get("status")), refunds, pending);
    }

    private static String text(Object value) {
        return value instanceof String string ? string : null;
    }

    /** Any BSON number that holds a whole value (int32, int64, double, decimal128), else null. */
    private static Long whole(Object value) {
        if (value instanceof org.bson.types.Decimal128 decimal) {
            value = decimal.bigDecimalValue();
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.stripTrailingZeros().scale() <= 0 ? decimal.longValue() : null;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return number == Math.rint(number) ? (long) number : null;
        }
        return value instanceof Number number ? number.longValue() : null;
    }
}
