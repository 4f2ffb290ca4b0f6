package kr.cancelpay.model;

import java.util.Date;

import org.bson.codecs.pojo.annotations.BsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A refund that may have reached ChaiPort ({@code cancelpay_pending}). It is written BEFORE the
 * cancel is sent and removed once the outcome is known, so a crash or a lost answer leaves a trace
 * that the next request for the order settles by asking ChaiPort. While it is there no other
 * cancel of the order is sent. The refund account is not kept: it is personal data and a pending
 * refund is settled, never re-sent, by a later request.
 */
@RegisterForReflection
public class PendingRefund {

    public static final String FIELD = "cancelpay_pending";

    @BsonProperty("refund_id")
    public String refundId;

    /** The amount sent to ChaiPort. */
    public Long amount;

    /** {@code cancel_amount} before this refund; ChaiPort's figure tells whether it was executed. */
    @BsonProperty("cancel_amount_before")
    public Long cancelAmountBefore;

    public String reason;

    @BsonProperty("requested_at")
    public Date requestedAt;
}
