package kr.cancelpay.repository;

import com.mongodb.MongoException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Set;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.config.StoreDatabase;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * At start-up, before anything reads the merchant's collection: it must exist in the configured
 * database and have a unique index on {@code merchant_uid}. Without the collection, the database or
 * the collection name is most likely wrong, and every order would answer 404 while readiness says
 * UP; without the unique index, two rows of one order could each be refunded, and every lookup
 * scans the collection. So the service refuses to start and prints the mongosh command that fixes
 * it, unless {@code cancelpay.store.create-indexes=true} lets it create them itself (dev mode).
 * What to do is {@link #plan}, a pure function of what MongoDB shows.
 */
@ApplicationScoped
public class PaymentsCollectionCheck {

    private static final Logger LOG = Logger.getLogger(PaymentsCollectionCheck.class);

    static final String JANITOR_FIELD = "cancelpay_pending.requested_at";
    private static final String CREATE_FLAG =
            "cancelpay.store.create-indexes=true (env CANCELPAY_STORE_CREATE_INDEXES)";

    private final Store store;
    private final String collection;
    private final boolean createIndexes;

    PaymentsCollectionCheck(Store store, CancelPayConfig config) {
        this.store = store;
        this.collection = config.cancelpay().paymentsCollection();
        this.createIndexes = config.cancelpay().store().createIndexes();
    }

    /** What MongoDB shows: the database's collections, and the merchant's collection's indexes. */
    record Seen(List<String> collections, List<Document> indexes) {}

    /** What to do about it. */
    sealed interface Plan {
        /** Ready; {@code janitorIndex} says whether the janitor's index is there as well. */
        record Ready(boolean janitorIndex) implements Plan {}

        /**
         * Create the unique index (which creates the collection when missing) and the janitor's.
         */
        record Create() implements Plan {}

        /** Refuse to start, saying why and what fixes it. */
        record Refuse(String reason) implements Plan {}
    }

    /** After the configuration checks, before the service's own indexes. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        StoreDatabase.Choice database = store.databaseChoice();
        Plan plan = plan(database.name(), collection, inspect(database.name()), createIndexes);
        if (plan instanceof Plan.Refuse refuse) {
            throw new IllegalStateException("cancelpay cannot start: " + refuse.reason());
        }
        if (plan instanceof Plan.Create) {
            create(database.name());
        } else if (plan instanceof Plan.Ready ready && !ready.janitorIndex()) {
            LOG.warnf(
                    "collection \"%s\" has no index on %s: the janitor's look for orders a crash"
                            + " left pointing at a refund scans the collection. Create it with"
                            + " mongosh: %s",
                    collection, JANITOR_FIELD, janitorIndexCommand(database.name(), collection));
        }
        LOG.infof(
                "merchant's payments: collection \"%s\" of database \"%s\" (from %s), unique index on"
                        + " merchant_uid present",
                collection, database.name(), database.from());
    }

    static Plan plan(String database, String collection, Seen seen, boolean createIndexes) {
        if (!seen.collections().contains(collection)) {
            return createIndexes
                    ? new Plan.Create()
                    : new Plan.Refuse(missingCollection(database, collection, seen.collections()));
        }
        List<Document> onMerchantUid =
                seen.indexes().stream()
                        .filter(index -> keys(index).equals(Set.of(PaymentRepository.MERCHANT_UID)))
                        .toList();
        if (onMerchantUid.stream().anyMatch(PaymentsCollectionCheck::servesEveryLookup)) {
            return new Plan.Ready(
                    seen.indexes().stream()
                            .anyMatch(index -> JANITOR_FIELD.equals(firstKey(index))));
        }
        if (!onMerchantUid.isEmpty()) {
            // Never dropped by the service: it is the merchant's, and other code may rely on it.
            return new Plan.Refuse(unsuitableIndex(database, collection, onMerchantUid.get(0)));
        }
        return createIndexes
                ? new Plan.Create()
                : new Plan.Refuse(missingIndex(database, collection));
    }

    /**
     * Unique over every row (not partial) and with MongoDB's simple collation, which the service's
     * equality filters use: any other collation is not used for them.
     */
    private static boolean servesEveryLookup(Document index) {
        Object unique = index.get("unique");
        boolean isUnique =
                Boolean.TRUE.equals(unique)
                        || (unique instanceof Number number && number.intValue() != 0);
        return isUnique && !index.containsKey("partialFilterExpression") && simpleCollation(index);
    }

    private static boolean simpleCollation(Document index) {
        Object collation = index.get("collation");
        return collation == null
                || (collation instanceof Document document
                        && "simple".equals(document.get("locale")));
    }

    private static Set<String> keys(Document index) {
        Object key = index.get("key");
        return key instanceof Document document ? document.keySet() : Set.of();
    }

    private static String firstKey(Document index) {
        Object key = index.get("key");
        return key instanceof Document document && !document.isEmpty()
                ? document.keySet().iterator().next()
                : null;
    }

    private static String missingCollection(
            String database, String collection, List<String> present) {
        List<String> shown = present.stream().sorted().limit(10).toList();
        return "database \""
                + database
                + "\" has no collection \""
                + collection
                + "\" (cancelpay.payments-collection). If the database or the collection name is"
                + " wrong, set quarkus.mongodb.database (or the connection string's path) or"
                + " cancelpay.payments-collection; the database holds "
                + (shown.isEmpty()
                        ? "no collection at all"
                        : shown + (present.size() > shown.size() ? " and more" : ""))
                + ". If the merchant's payments really are to live there, create the collection"
                + " and its index with mongosh: "
                + uniqueIndexCommand(database, collection)
                + " -- or set "
                + CREATE_FLAG
                + " to let the service create them.";
    }

    private static String missingIndex(String database, String collection) {
        return "collection \""
                + collection
                + "\" of database \""
                + database
                + "\" has no unique index on merchant_uid: every refund finds and updates its"
                + " order by merchant_uid, and must find exactly one. Create it with mongosh: "
                + uniqueIndexCommand(database, collection)
                + " -- or set "
                + CREATE_FLAG
                + " to let the service create it.";
    }

    private static String unsuitableIndex(String database, String collection, Document index) {
        String name = String.valueOf(index.get("name"));
        String why =
                index.containsKey("partialFilterExpression")
                        ? "is partial (it does not cover every row)"
                        : !simpleCollation(index)
                                ? "has a collation (the service's lookups do not use it)"
                                : "is not unique";
        return "collection \""
                + collection
                + "\" of database \""
                + database
                + "\" has an index on merchant_uid (\""
                + name
                + "\") that "
                + why
                + ": every refund finds and updates its order by merchant_uid, and must find"
                + " exactly one. Replace it with mongosh (the service never drops an index itself):"
                + " "
                + collection(database, collection)
                + ".dropIndex("
                + quoted(name)
                + "); "
                + uniqueIndexCommand(database, collection);
    }

    static String uniqueIndexCommand(String database, String collection) {
        return collection(database, collection)
                + ".createIndex({ merchant_uid: 1 }, { unique: true })";
    }

    static String janitorIndexCommand(String database, String collection) {
        return collection(database, collection)
                + ".createIndex({ \""
                + JANITOR_FIELD
                + "\": 1 }, { sparse: true })";
    }

    private static String duplicatesQuery(String database, String collection) {
        return collection(database, collection)
                + ".aggregate([{ $group: { _id: \"$merchant_uid\", n: { $sum: 1 } } },"
                + " { $match: { n: { $gt: 1 } } }])";
    }

    private static String collection(String database, String collection) {
        return "db.getSiblingDB("
                + quoted(database)
                + ").getCollection("
                + quoted(collection)
                + ")";
    }

    private static String quoted(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private Seen inspect(String database) {
        List<String> collections =
                await(store.database().listCollectionNames().collect().asList(), database);
        List<Document> indexes =
                collections.contains(collection)
                        ? await(
                                store.collection(collection).listIndexes().collect().asList(),
                                database)
                        : List.of();
        return new Seen(collections, indexes);
    }

    /** The unique index (creating the collection when missing), then the janitor's. */
    private void create(String database) {
        try {
            await(
                    store.collection(collection)
                            .createIndex(
                                    Indexes.ascending(PaymentRepository.MERCHANT_UID),
                                    new IndexOptions().unique(true)),
                    database);
        } catch (IllegalStateException notCreated) {
            if (notCreated.getCause() instanceof MongoException refused
                    && StoreFailures.isDuplicateKey(refused)) {
                throw new IllegalStateException(
                        "cancelpay cannot start: the unique index on merchant_uid of collection \""
                                + collection
                                + "\" cannot be created: several rows share a merchant_uid. List"
                                + " them with mongosh: "
                                + duplicatesQuery(database, collection),
                        refused);
            }
            throw notCreated;
        }
        await(
                store.collection(collection)
                        .createIndex(
                                Indexes.ascending(JANITOR_FIELD), new IndexOptions().sparse(true)),
                database);
        LOG.infof(
                "created the unique index on merchant_uid and the janitor's index of collection"
                        + " \"%s\" (cancelpay.store.create-indexes=true)",
                collection);
    }

    /**
     * Bounded by {@code cancelpay.store-timeout}; any failure stops the start-up: a service that
     * cannot tell whether its orders are where it looks would answer 404 for all of them.
     */
    private <T> T await(Uni<T> operation, String database) {
        try {
            return store.bounded(operation).await().indefinitely();
        } catch (RuntimeException failure) {
            throw new IllegalStateException(
                    "cancelpay cannot start: cannot check or set up collection \""
                            + collection
                            + "\" of database \""
                            + database
                            + "\" ("
                            + describe(failure)
                            + (failure instanceof StoreUnavailableException
                                    ? "); it starts once MongoDB answers"
                                    : ")"),
                    failure instanceof StoreUnavailableException ? failure.getCause() : failure);
        }
    }

    /** The failure's kind and code, never its message: a server message may quote a document. */
    private static String describe(RuntimeException failure) {
        if (failure instanceof StoreUnavailableException) {
            return failure.getMessage();
        }
        return failure instanceof MongoException mongo
                ? "MongoDB error " + mongo.getCode() + ", " + failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName();
    }
}
