package kr.cancelpay.service;

import org.bson.BSONException;
import org.bson.codecs.configuration.CodecConfigurationException;

/**
 * Rows of the merchant's collection that the driver cannot map (a text amount, 1000.5 won, ...).
 */
final class StoredRows {

    private StoredRows() {}

    static boolean unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CodecConfigurationException || t instanceof BSONException) {
                return true;
            }
        }
        return false;
    }

    static RefundProblem unreadableProblem(String merchantUid) {
        return RefundProblem.paymentRecordInvalid(
                merchantUid, "a field has an unexpected type or a fractional amount");
    }
}
