package kr.cancelpay.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoQueryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.mongodb.bulk.WriteConcernError;
import java.util.stream.Stream;
import kr.cancelpay.repository.StoreFailures.Kind;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which MongoDB failure is an outage (503), a taken key (an answer), or a refusal for good (500).
 */
class StoreFailuresTest {

    private static final ServerAddress SERVER = new ServerAddress();

    static Stream<Arguments> failures() {
        return Stream.of(
                // Cannot reach it, or it did not answer in time: try again shortly.
                Arguments.of(
                        "no server selected in time",
                        new MongoTimeoutException("timed out"),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "connection refused",
                        new MongoSocketOpenException("refused", SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "connection reset",
                        new MongoSocketReadException("reset", SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "read timeout",
                        new MongoSocketReadTimeoutException(
                                "slow", SERVER, new java.io.IOException()),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "write to a dead socket",
                        new MongoSocketWriteException("gone", SERVER, new java.io.IOException()),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "pool cleared",
                        new MongoConnectionPoolClearedException(
                                new com.mongodb.connection.ServerId(
                                        new com.mongodb.connection.ClusterId(), SERVER),
                                null),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "credentials refused",
                        new MongoSecurityException(null, "auth failed"),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "interrupted",
                        new MongoInterruptedException("interrupted", null),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "not the primary",
                        new MongoNotPrimaryException(error(10107, "NotWritablePrimary"), SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "node recovering",
                        new MongoNodeIsRecoveringException(
                                error(11600, "InterruptedAtShutdown"), SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "maxTimeMS expired",
                        new MongoExecutionTimeoutException(50, "operation exceeded time limit"),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "write concern not confirmed",
                        new MongoWriteConcernException(
                                new WriteConcernError(
                                        64,
                                        "WriteConcernFailed",
                                        "waiting for replication timed out",
                                        new BsonDocument()),
                                SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "primary stepped down (command)",
                        new MongoCommandException(error(189, "PrimarySteppedDown"), SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "shutting down (command)",
                        new MongoCommandException(error(91, "ShutdownInProgress"), SERVER),
                        Kind.UNAVAILABLE),
                Arguments.of(
                        "labelled retryable",
                        labelled(
                                new MongoCommandException(error(1234, "Whatever"), SERVER),
                                "RetryableWriteError"),
                        Kind.UNAVAILABLE),
                // A unique index said "taken": an answer.
                Arguments.of(
                        "duplicate key (write)",
                        new MongoWriteException(writeError(11000, "E11000 duplicate key"), SERVER),
                        Kind.DUPLICATE_KEY),
                Arguments.of(
                        "duplicate key (command)",
                        new MongoCommandException(error(11000, "DuplicateKey"), SERVER),
                        Kind.DUPLICATE_KEY),
                // The server answered and refused; it will refuse again.
                Arguments.of(
                        "document validation failed",
                        new MongoWriteException(
                                writeError(121, "Document failed validation"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "$push onto a non-array",
                        new MongoWriteException(
                                writeError(
                                        2,
                                        "The field 'cancel_history' must be an array but is of type string"),
                                SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "type mismatch",
                        new MongoWriteException(writeError(14, "TypeMismatch"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "immutable _id",
                        new MongoWriteException(writeError(66, "ImmutableField"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "validation failed (command)",
                        new MongoCommandException(error(121, "DocumentValidationFailure"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "not authorized (command)",
                        new MongoCommandException(error(13, "Unauthorized"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "bad query",
                        new MongoQueryException(error(2, "BadValue"), SERVER),
                        Kind.REJECTED),
                Arguments.of(
                        "some other MongoException", new MongoException("internal"), Kind.REJECTED),
                // Not MongoDB's.
                Arguments.of(
                        "already classified",
                        new StoreUnavailableException("down", null),
                        Kind.NOT_A_STORE_FAILURE),
                Arguments.of("a bug", new IllegalStateException("bug"), Kind.NOT_A_STORE_FAILURE));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("failures")
    void classify(String description, Throwable failure, Kind expected) {
        assertEquals(expected, StoreFailures.classify(failure));
    }

    private static BsonDocument error(int code, String codeName) {
        return new BsonDocument("ok", new BsonInt32(0))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName))
                .append("errmsg", new BsonString(codeName));
    }

    private static WriteError writeError(int code, String message) {
        return new WriteError(code, message, new BsonDocument());
    }

    private static <T extends MongoException> T labelled(T failure, String label) {
        failure.addLabel(label);
        return failure;
    }
}
