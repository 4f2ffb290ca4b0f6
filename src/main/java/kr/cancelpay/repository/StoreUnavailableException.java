package kr.cancelpay.repository;

/** MongoDB could not be reached or did not answer within {@code cancelpay.store-timeout}. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
