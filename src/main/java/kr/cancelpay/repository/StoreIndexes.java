package kr.cancelpay.repository;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kr.cancelpay.config.CancelPayConfig;
import org.jboss.logging.Logger;

/**
 * The indexes of the service's own collections, created at start-up (creating an existing index is
 * a no-op). Every hot-path query is an equality on one uniquely indexed field ({@code _id}, {@code
 * refunds.state_key}, {@code refund_locks.token}, {@code idempotency_keys.refund_id}), which any
 * MongoDB answers from an index; the others serve the read API and the janitor on a real MongoDB,
 * and {@code expires_at} is the TTL of idempotency keys. The merchant's collection is not ours: its
 * unique {@code merchant_uid} index is required at start-up by {@link PaymentsCollectionCheck},
 * which runs first. Correctness never depends on these, so a MongoDB that is down at start-up only
 * delays them.
 */
@ApplicationScoped
public class StoreIndexes {

    private static final Logger LOG = Logger.getLogger(StoreIndexes.class);

    private final Store store;
    private final Duration timeout;

    StoreIndexes(Store store, CancelPayConfig config) {
        this.store = store;
        this.timeout = config.cancelpay().storeTimeout();
    }

    /** After the start-up checks: a misconfigured service stops before it waits for MongoDB. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        try {
            create().await().atMost(timeout.multipliedBy(2));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "indexes of the service's collections not created now (%s); they are created at the next start",
                    e.getMessage());
        }
    }

    public Uni<Void> create() {
        return Uni.join()
                .all(
                        store.collection(RefundLedger.COLLECTION)
                                .createIndex(
                                        Indexes.ascending(RefundLedger.STATE_KEY),
                                        new IndexOptions().unique(true).name("state_key_unique")),
                        store.collection(RefundLedger.COLLECTION)
                                .createIndex(
                                        Indexes.compoundIndex(
                                                Indexes.ascending("merchant_uid"),
                                                Indexes.descending("created_at")),
                                        new IndexOptions().name("merchant_uid_created_at")),
                        store.collection(RefundLedger.COLLECTION)
                                .createIndex(
                                        Indexes.compoundIndex(
                                                Indexes.ascending("status"),
                                                Indexes.ascending("updated_at")),
                                        new IndexOptions().name("status_updated_at")),
                        store.collection(OrderLocks.COLLECTION)
                                .createIndex(
                                        Indexes.ascending(OrderLocks.TOKEN),
                                        new IndexOptions().unique(true).name("token_unique")),
                        store.collection(IdempotencyKeys.COLLECTION)
                                .createIndex(
                                        Indexes.ascending(IdempotencyKeys.REFUND_ID),
                                        new IndexOptions().unique(true).name("refund_id_unique")),
                        store.collection(IdempotencyKeys.COLLECTION)
                                .createIndex(
                                        Indexes.ascending(IdempotencyKeys.EXPIRES_AT),
                                        new IndexOptions()
                                                .expireAfter(0L, TimeUnit.SECONDS)
                                                .name("expires_at_ttl")))
                .andFailFast()
                .replaceWithVoid();
    }
}
