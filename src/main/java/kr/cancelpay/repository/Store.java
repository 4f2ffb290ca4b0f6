package kr.cancelpay.repository;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;

import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import kr.cancelpay.config.CancelPayConfig;

/**
 * The service's own collections in the configured database, and the rule every store call follows:
 * bounded by {@code cancelpay.store-timeout}, failing with {@link StoreUnavailableException} when
 * MongoDB cannot answer. A duplicate key is an answer, not an outage: callers that insert to
 * take something ask {@link #isDuplicateKey(Throwable)} first.
 */
@ApplicationScoped
public class Store {

    private final ReactiveMongoClient client;
    private final String database;
    private final Duration timeout;
    private final WriteFaults faults;
    private final Map<String, ReactiveMongoCollection<Document>> collections = new ConcurrentHashMap<>();

    Store(ReactiveMongoClient client, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            CancelPayConfig config, WriteFaults faults) {
        this.client = client;
        this.database = database;
        this.timeout = config.cancelpay().storeTimeout();
        this.faults = faults;
    }

    /**
     * The handle of one collection, made once: every refund makes a dozen store calls, and making the
     * database and collection handles anew for each showed in the benchmark's profile (bench/).
     * Handles are immutable and hold no connection, so one per collection serves every caller.
     */
    ReactiveMongoCollection<Document> collection(String name) {
        return collections.computeIfAbsent(name, n -> client.getDatabase(database).getCollection(n));
    }

    <T> Uni<T> bounded(Uni<T> operation) {
        return bounded(operation, timeout);
    }

    /** A write of the refund flow, named for {@link WriteFaults}. */
    <T> Uni<T> write(String name, Uni<T> operation) {
        return bounded(Uni.createFrom().deferred(() -> {
            faults.beforeWrite(name);
            return operation;
        }));
    }

    static <T> Uni<T> bounded(Uni<T> operation, Duration timeout) {
        return operation
                .ifNoItem().after(timeout).failWith(() -> new StoreUnavailableException(
                        "MongoDB did not answer within " + timeout, null))
                .onFailure(failure -> failure instanceof MongoException && !isDuplicateKey(failure))
                .transform(failure -> new StoreUnavailableException(
                        "MongoDB unavailable: " + failure.getClass().getSimpleName(), failure));
    }

    /** An insert or update ran into a unique index: somebody else holds that key. */
    static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException write
                && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                || failure instanceof MongoException mongo && mongo.getCode() == 11000;
    }
}
