package kr.cancelpay.repository;

/**
 * MongoDB answered a write of ours with a refusal that repeating will not change: a collection
 * validator, a field of the wrong type ({@code $push} onto a {@code cancel_history} that is not an
 * array), and the like. Not an outage ({@link StoreUnavailableException}): the service stays ready,
 * the caller hears 500 {@code STORE_WRITE_REJECTED}, and a person must fix the document.
 */
public class StoreWriteRejectedException extends RuntimeException {

    private final String write;
    private final String subject;

    StoreWriteRejectedException(String write, String subject, int code, Throwable cause) {
        super(
                "MongoDB refused " + write + " of " + subject + " (code " + code + ")",
                cause,
                false,
                false);
        this.write = write;
        this.subject = subject;
    }

    /**
     * The write's name, as {@link WriteFaults} and the metric know it ({@code
     * payments.syncFigures}, ...).
     */
    public String write() {
        return write;
    }

    /** What was written: {@code order <merchant_uid>}, {@code refund <refund_id>}, or a lock. */
    public String subject() {
        return subject;
    }
}
