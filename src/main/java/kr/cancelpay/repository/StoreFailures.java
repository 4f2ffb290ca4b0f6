package kr.cancelpay.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import java.util.Set;

/**
 * What a failed store call means for its caller, decided from the exception alone (a pure function;
 * {@code StoreFailuresTest} holds its table):
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: MongoDB could not be reached or did not answer in time, or the
 *       node was not (or no longer) the primary: the same call can succeed shortly (503 {@code
 *       STORE_UNAVAILABLE}, {@code Retry-After});
 *   <li>{@link Kind#DUPLICATE_KEY}: a unique index said "taken": an answer the callers that insert
 *       to take something expect;
 *   <li>{@link Kind#REJECTED}: the server answered and refused, and will refuse again (a validator,
 *       a type mismatch, ...): 500 {@code STORE_WRITE_REJECTED} for a write, a person must look;
 *   <li>{@link Kind#NOT_A_STORE_FAILURE}: not MongoDB's (ours, or already classified).
 * </ul>
 */
public final class StoreFailures {

    public enum Kind {
        UNAVAILABLE,
        DUPLICATE_KEY,
        REJECTED,
        NOT_A_STORE_FAILURE
    }

    /**
     * Server error codes that mean "not now" rather than "no": the driver's retryable codes
     * (HostUnreachable 6, HostNotFound 7, NetworkTimeout 89, ShutdownInProgress 91,
     * PrimarySteppedDown 189, ExceededTimeLimit 262, SocketException 9001, NotWritablePrimary
     * 10107, InterruptedAtShutdown 11600, InterruptedDueToReplStateChange 11602,
     * NotPrimaryNoSecondaryOk 13435, NotPrimaryOrSecondary 13436), MaxTimeMSExpired 50,
     * FailedToSatisfyReadPreference 133, ReadConcernMajorityNotAvailableYet 134 and
     * WriteConcernFailed 64 (a write concern not confirmed in time).
     */
    static final Set<Integer> TRANSIENT_CODES =
            Set.of(
                    6, 7, 50, 64, 89, 91, 133, 134, 189, 262, 9001, 10107, 11600, 11602, 13435,
                    13436);

    private static final Set<String> TRANSIENT_LABELS =
            Set.of("RetryableWriteError", MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL);
    private static final int DUPLICATE_KEY_CODE = 11000;

    private StoreFailures() {}

    public static Kind classify(Throwable failure) {
        if (!(failure instanceof MongoException mongo)) {
            return Kind.NOT_A_STORE_FAILURE;
        }
        if (isDuplicateKey(mongo)) {
            return Kind.DUPLICATE_KEY;
        }
        if (mongo instanceof MongoSocketException
                // Client side: no server selected in time (MongoTimeoutException), pool cleared or
                // closed, credentials refused: the operation never reached a server that could do
                // it.
                || mongo instanceof MongoClientException
                || mongo instanceof MongoInterruptedException
                || mongo instanceof MongoNotPrimaryException
                || mongo instanceof MongoNodeIsRecoveringException
                || mongo instanceof MongoExecutionTimeoutException
                // Applied by the primary but not confirmed by the write concern in time: doing it
                // again is
                // harmless (every write of ours is conditional or idempotent) and may succeed.
                || mongo instanceof MongoWriteConcernException
                || TRANSIENT_CODES.contains(mongo.getCode())
                || mongo.getErrorLabels().stream().anyMatch(TRANSIENT_LABELS::contains)) {
            return Kind.UNAVAILABLE;
        }
        return Kind.REJECTED;
    }

    static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException write
                        && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                || failure instanceof MongoException mongo && mongo.getCode() == DUPLICATE_KEY_CODE;
    }
}
