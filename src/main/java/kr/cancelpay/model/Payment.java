package kr.cancelpay.model;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.bson.codecs.pojo.annotations.BsonProperty;

/**
 * A row of the merchant's collection ({@code cancelpay.payments-collection}), as the ChaiPort
 * guide's mongoose model writes it ({@code imp_uid}, {@code merchant_uid}, {@code amount}, {@code
 * cancel_amount}, {@code __v} and whatever else the merchant keeps). Only the fields below are
 * read; the service writes with targeted {@code $set}/{@code $addToSet}/{@code $unset} updates,
 * never by replacing the document, so fields it does not know survive. Numbers may be int32, int64,
 * double or decimal128: the driver's Long codec reads any of them when the value is whole.
 */
@RegisterForReflection
public class Payment {

    @BsonProperty("imp_uid")
    public String impUid;

    @BsonProperty("merchant_uid")
    public String merchantUid;

    /** Not in the guide's model, but present when the merchant syncs ChaiPort's Payment object. */
    @BsonProperty("pay_method")
    public String payMethod;

    public Long amount;

    /** Refunded so far, ChaiPort's cumulative figure; absent on fresh guide rows, meaning 0. */
    @BsonProperty("cancel_amount")
    public Long cancelAmount;

    @BsonProperty("cancel_history")
    public List<CancelHistoryEntry> cancelHistory;

    @BsonProperty(PendingRefund.FIELD)
    public PendingRefund pending;

    public long refundedSoFar() {
        return cancelAmount == null ? 0 : cancelAmount;
    }

    public List<CancelHistoryEntry> history() {
        return cancelHistory == null ? List.of() : cancelHistory;
    }
}
