package kr.cancelpay.dev;

import java.util.List;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The sample payments dev mode seeds (in the embedded MongoDB and the ChaiPort sandbox) and the
 * refund page lists. One list, so the page never offers an order that was not seeded.
 */
public final class SampleOrders {

    /**
     * One sample: ChaiPort's side ({@code amount}, {@code refunded}) and the figure as the row
     * stores it ({@code storedAmount}: int32, int64, double or decimal128, as guide rows do).
     */
    public record Sample(
            String impUid,
            String merchantUid,
            String payMethod,
            long amount,
            long refunded,
            Object storedAmount) {

        /** The merchant's row, as the guide's mongoose model writes it (ObjectId, __v). */
        public Document guideRow() {
            Document row =
                    new Document("_id", new ObjectId())
                            .append("imp_uid", impUid)
                            .append("merchant_uid", merchantUid)
                            .append("pay_method", payMethod)
                            .append("amount", storedAmount)
                            .append("__v", 0);
            if (refunded > 0) {
                row.append("cancel_amount", (int) refunded);
            }
            return row;
        }

        /** ChaiPort's record of the same payment. */
        public SandboxPayment atChaiPort() {
            SandboxPayment payment = SandboxPayment.paid(impUid, merchantUid, payMethod, amount);
            return refunded > 0 ? payment.withCancelled(refunded, "부분환불") : payment;
        }
    }

    public static final List<Sample> ALL =
            List.of(
                    new Sample("imp_100000000001", "order-1001", "card", 10000, 0, 10000),
                    new Sample("imp_100000000002", "order-1002", "card", 50000, 15000, 50000L),
                    new Sample("imp_100000000003", "order-1003", "vbank", 30000, 0, 30000.0),
                    new Sample(
                            "imp_100000000004",
                            "order-1004",
                            "trans",
                            12000,
                            0,
                            new Decimal128(12000)),
                    new Sample("imp_100000000005", "order-1005", "card", 8000, 0, 8000));

    private SampleOrders() {}
}
