package kr.cancelpay.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Date;
import org.bson.codecs.pojo.annotations.BsonProperty;

/**
 * The payment's pointer to its open refund ({@code cancelpay_pending}): set on the merchant's row
 * after the refund is in the ledger and before it is sent, removed once its outcome is recorded.
 * While it is there no other cancel of the order is sent: the next request, the webhook or the
 * janitor settles that refund first. The refund itself (amount, attempts, ...) is in the ledger.
 */
@RegisterForReflection
public class PendingRefund {

    public static final String FIELD = "cancelpay_pending";

    @BsonProperty("refund_id")
    public String refundId;

    /** When it was recorded; for people reading the row. */
    @BsonProperty("requested_at")
    public Date requestedAt;
}
