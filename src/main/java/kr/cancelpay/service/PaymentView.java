package kr.cancelpay.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import kr.cancelpay.model.PendingRefund;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A stored payment and its refunds, for {@code GET /payments/{merchant_uid}}: the row's figures
 * (ChaiPort's as last synced) and the ledger's refunds of the order, newest first. Read from the
 * raw document, tolerant of whatever else the merchant stores in it.
 *
 * @param pendingRefundId the refund whose outcome the order waits for (it takes no other refund
 *     meanwhile)
 */
@RegisterForReflection
@Schema(
        name = "PaymentView",
        description =
                "A stored payment; a field the stored row lacks (or holds in another type) is null")
public record PaymentView(
        @Schema(nullable = true) @JsonProperty("merchant_uid") String merchantUid,
        @Schema(nullable = true) @JsonProperty("imp_uid") String impUid,
        @Schema(nullable = true) @JsonProperty("pay_method") String payMethod,
        @Schema(nullable = true) @JsonProperty("amount") Long amount,
        @JsonProperty("cancel_amount") long cancelAmount,
        @Schema(nullable = true) @JsonProperty("cancelable_amount") Long cancelableAmount,
        @Schema(nullable = true) @JsonProperty("status") String status,
        @Schema(nullable = true) @JsonProperty("pending_refund_id") String pendingRefundId,
        @JsonProperty("refunds") List<RefundView> refunds) {

    static PaymentView of(Document row, List<RefundView> refunds) {
        Long amount = whole(row.get("amount"));
        long cancelAmount =
                whole(row.get("cancel_amount")) == null ? 0 : whole(row.get("cancel_amount"));
        String pendingRefundId =
                row.get(PendingRefund.FIELD) instanceof Document pending
                        ? text(pending.get("refund_id"))
                        : null;
        return new PaymentView(
                text(row.get("merchant_uid")),
                text(row.get("imp_uid")),
                text(row.get("pay_method")),
                amount,
                cancelAmount,
                amount == null ? null : amount - cancelAmount,
                text(row.get("status")),
                pendingRefundId,
                refunds);
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
