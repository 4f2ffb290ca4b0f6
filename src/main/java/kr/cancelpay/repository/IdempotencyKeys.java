package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Updates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import kr.cancelpay.model.IdempotencyRecord;
import org.bson.Document;

/**
 * The {@code idempotency_keys} collection: {@code _id} = the scoped key, so reserving a key is one
 * insert that exactly one of any number of concurrent requests (on any replica) wins. Keys expire
 * at {@code expires_at}: a TTL index removes them on a real MongoDB, {@link #purgeExpired} on any.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final String COLLECTION = "idempotency_keys";
    public static final String EXPIRES_AT = "expires_at";

    /**
     * The refund the reservation is for; unique, so each reservation is addressed by one indexed
     * field.
     */
    public static final String REFUND_ID = "refund_id";

    private static final String LEASE_UNTIL = "lease_until";

    private final Store store;

    IdempotencyKeys(Store store) {
        this.store = store;
    }

    /** {@code true} if this request now owns the key; {@code false} if it was taken already. */
    public Uni<Boolean> reserve(IdempotencyRecord record) {
        Document document =
                new Document("_id", record.id())
                        .append("scope", record.scope())
                        .append("key", record.key())
                        .append("fingerprint", record.fingerprint())
                        .append(REFUND_ID, record.refundId())
                        .append("created_at", Date.from(record.createdAt()))
                        .append(EXPIRES_AT, Date.from(record.expiresAt()))
                        .append(LEASE_UNTIL, Date.from(record.leaseUntil()));
        return store.write(
                        "keys.reserve",
                        Store.refund(record.refundId()),
                        store.collection(COLLECTION).insertOne(document))
                .replaceWith(true)
                .onFailure(Store::isDuplicateKey)
                .recoverWithItem(false);
    }

    public Uni<IdempotencyRecord> find(String id) {
        return store.bounded(store.collection(COLLECTION).find(eq("_id", id)).collect().first())
                .map(document -> document == null ? null : fromDocument(document));
    }

    /**
     * Stores the first answer, to be replayed to every later request with the key. Addressed by the
     * reservation's refund id (unique), so a request whose key was taken over writes nothing.
     */
    public Uni<Void> finish(String refundId, IdempotencyRecord.StoredAnswer answer) {
        return store.write(
                        "keys.finish",
                        Store.refund(refundId),
                        store.collection(COLLECTION)
                                .updateOne(
                                        eq(REFUND_ID, refundId),
                                        Updates.combine(
                                                Updates.set(
                                                        "answer",
                                                        new Document("status", answer.status())
                                                                .append("body", answer.body())),
                                                Updates.unset(LEASE_UNTIL))))
                .replaceWithVoid();
    }

    /** Frees the key: the request's answer said "try again" and nothing was executed. */
    public Uni<Void> release(String refundId) {
        return store.write(
                        "keys.release",
                        Store.refund(refundId),
                        store.collection(COLLECTION).deleteOne(eq(REFUND_ID, refundId)))
                .replaceWithVoid();
    }

    /**
     * Ends the reservation's lease now, without an answer: the request failed in a way that does
     * not tell whether it recorded (or sent) its refund, so a retry must look at the ledger first.
     */
    public Uni<Void> endLease(String refundId) {
        return store.write(
                        "keys.endLease",
                        Store.refund(refundId),
                        store.collection(COLLECTION)
                                .updateOne(
                                        eq(REFUND_ID, refundId),
                                        Updates.set(LEASE_UNTIL, new Date(0))))
                .replaceWithVoid();
    }

    /**
     * A retry takes over the key of a request that died before recording its refund: one update
     * addressed by the dead reservation's refund id, so of several retries exactly one wins.
     */
    public Uni<Boolean> takeOver(String deadRefundId, IdempotencyRecord retry) {
        return store.write(
                        "keys.takeOver",
                        Store.refund(deadRefundId),
                        store.collection(COLLECTION)
                                .updateOne(
                                        eq(REFUND_ID, deadRefundId),
                                        Updates.combine(
                                                Updates.set(REFUND_ID, retry.refundId()),
                                                Updates.set(
                                                        LEASE_UNTIL,
                                                        Date.from(retry.leaseUntil())))))
                .map(result -> result.getModifiedCount() == 1);
    }

    /** Removes keys past their retention; answers how many. */
    public Uni<Long> purgeExpired(Instant now) {
        return store.bounded(
                        store.collection(COLLECTION).deleteMany(lte(EXPIRES_AT, Date.from(now))))
                .map(result -> result.getDeletedCount());
    }

    private static IdempotencyRecord fromDocument(Document document) {
        Document answer = document.get("answer", Document.class);
        Date leaseUntil = document.getDate(LEASE_UNTIL);
        return new IdempotencyRecord(
                document.getString("_id"),
                document.getString("scope"),
                document.getString("key"),
                document.getString("fingerprint"),
                document.getString(REFUND_ID),
                answer == null
                        ? null
                        : new IdempotencyRecord.StoredAnswer(
                                answer.getInteger("status"), answer.getString("body")),
                document.getDate("created_at").toInstant(),
                document.getDate(EXPIRES_AT).toInstant(),
                leaseUntil == null ? null : leaseUntil.toInstant());
    }
}
