package kr.cancelpay.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.bson.codecs.pojo.annotations.BsonProperty;

/**
 * One executed cancel, stored in ChaiPort's own shape ({@code cancel_history[]} of its Payment
 * object) so that rows the guide's code synced from ChaiPort and rows this service wrote look
 * alike.
 */
@RegisterForReflection
public class CancelHistoryEntry {

    @BsonProperty("pg_tid")
    public String pgTid;

    public Long amount;

    /** UNIX seconds, as ChaiPort gives it. */
    @BsonProperty("cancelled_at")
    public Long cancelledAt;

    public String reason;

    @BsonProperty("cancellation_id")
    public String cancellationId;

    @BsonProperty("receipt_url")
    public String receiptUrl;
}
