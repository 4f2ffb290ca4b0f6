package kr.cancelpay.repository;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.mongodb.reactive.ReactiveMongoDatabase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.config.StoreDatabase;
import kr.cancelpay.observability.CancelPayMetrics;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The collections in the configured database ({@link StoreDatabase}), each handle made once, and
 * the rule every store call follows: bounded by {@code cancelpay.store-timeout}, failing with
 * {@link StoreUnavailableException} when MongoDB cannot answer now ({@link StoreFailures}). A write
 * MongoDB refuses for good fails with {@link StoreWriteRejectedException}, logged at ERROR with the
 * write and what it wrote, and counted. A duplicate key is an answer, not an outage: callers that
 * insert to take something ask {@link #isDuplicateKey(Throwable)} first. Any other failure of a
 * read passes unchanged (a bug).
 */
@ApplicationScoped
public class Store {

    private static final Logger LOG = Logger.getLogger(Store.class);

    private final StoreDatabase.Choice databaseChoice;
    private final ReactiveMongoDatabase database;
    private final Duration timeout;
    private final WriteFaults faults;
    private final CancelPayMetrics metrics;

    /**
     * Handles by collection name: making one costs a codec-registry lookup and a few objects, on
     * every store call of every refund when it was made per call (bench/README.md).
     */
    private final ConcurrentMap<String, ReactiveMongoCollection<Document>> collections =
            new ConcurrentHashMap<>();

    Store(
            ReactiveMongoClient client,
            @ConfigProperty(name = StoreDatabase.PROPERTY) Optional<String> databaseProperty,
            @ConfigProperty(name = StoreDatabase.CONNECTION_STRING)
                    Optional<String> connectionString,
            CancelPayConfig config,
            WriteFaults faults,
            CancelPayMetrics metrics) {
        this.databaseChoice = StoreDatabase.require(databaseProperty, connectionString);
        this.database = client.getDatabase(databaseChoice.name());
        this.timeout = config.cancelpay().storeTimeout();
        this.faults = faults;
        this.metrics = metrics;
    }

    /** The database in use, and which setting named it. */
    StoreDatabase.Choice databaseChoice() {
        return databaseChoice;
    }

    ReactiveMongoDatabase database() {
        return database;
    }

    ReactiveMongoCollection<Document> collection(String name) {
        return collections.computeIfAbsent(name, database::getCollection);
    }

    <T> Uni<T> bounded(Uni<T> operation) {
        return bounded(operation, timeout);
    }

    /**
     * A write of the refund flow, named for {@link WriteFaults} and the metric; {@code subject}
     * says what it writes ({@code order <merchant_uid>}, {@code refund <refund_id>}, ...) for the
     * log.
     */
    <T> Uni<T> write(String name, String subject, Uni<T> operation) {
        return bounded(
                        Uni.createFrom()
                                .deferred(
                                        () -> {
                                            faults.beforeWrite(name);
                                            return operation;
                                        }))
                .onFailure(
                        failure -> StoreFailures.classify(failure) == StoreFailures.Kind.REJECTED)
                .transform(failure -> rejected(name, subject, (MongoException) failure));
    }

    static String order(String merchantUid) {
        return "order " + merchantUid;
    }

    static String refund(String refundId) {
        return "refund " + refundId;
    }

    /** A lock's token: the refund id of the refund holding it, or a sync's own token. */
    static String lock(String token) {
        return "the lock held by " + token;
    }

    private StoreWriteRejectedException rejected(
            String name, String subject, MongoException failure) {
        metrics.storeWriteRejected(name);
        // The server's code and short message only: its details may quote the merchant's document.
        String reason =
                failure instanceof MongoWriteException write
                        ? write.getError().getMessage()
                        : failure instanceof MongoCommandException command
                                ? command.getErrorMessage()
                                : failure.getClass().getSimpleName();
        LOG.errorf(
                "MongoDB refused the write %s of %s for good (code %d: %s); it will be refused again until a person "
                        + "fixes the document",
                name, subject, failure.getCode(), reason);
        return new StoreWriteRejectedException(name, subject, failure.getCode(), failure);
    }

    static <T> Uni<T> bounded(Uni<T> operation, Duration timeout) {
        return operation
                .ifNoItem()
                .after(timeout)
                .failWith(
                        () ->
                                new StoreUnavailableException(
                                        "MongoDB did not answer within " + timeout, null))
                .onFailure(
                        failure ->
                                StoreFailures.classify(failure) == StoreFailures.Kind.UNAVAILABLE)
                .transform(
                        failure ->
                                new StoreUnavailableException(
                                        "MongoDB unavailable: "
                                                + failure.getClass().getSimpleName(),
                                        failure));
    }

    /** An insert or update ran into a unique index: somebody else holds that key. */
    static boolean isDuplicateKey(Throwable failure) {
        return StoreFailures.isDuplicateKey(failure);
    }
}
