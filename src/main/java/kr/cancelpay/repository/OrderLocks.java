package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Updates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * One refund at a time per order, across replicas: the {@code refund_locks} collection holds one
 * document per order being worked on ({@code _id} = merchant_uid, {@code token} = the holder's
 * token, {@code until} = the lease). Inserting is the atomic take, deleting the release; it holds
 * only live locks, so it stays small. Every filter of the hot path (take, renew, release) is an
 * equality on one uniquely indexed field ({@code _id} or {@code token}), which any MongoDB, the
 * embedded one included, answers from an index; taking over a crashed holder's lock also checks
 * that its lease has run out.
 */
@ApplicationScoped
public class OrderLocks {

    public static final String COLLECTION = "refund_locks";
    public static final String TOKEN = "token";
    private static final String UNTIL = "until";

    private final Store store;

    OrderLocks(Store store) {
        this.store = store;
    }

    /**
     * Takes the order's lock for {@code token} until {@code until}: free, or held by a holder whose
     * lease ran out before {@code now} (it crashed or stalled). {@code false} when it is held.
     */
    public Uni<Boolean> take(String merchantUid, String token, Instant now, Instant until) {
        return insert(merchantUid, token, until)
                .onFailure(Store::isDuplicateKey)
                .recoverWithUni(() -> takeOverExpired(merchantUid, token, now, until));
    }

    private Uni<Boolean> insert(String merchantUid, String token, Instant until) {
        Document lock =
                new Document("_id", merchantUid)
                        .append(TOKEN, token)
                        .append(UNTIL, Date.from(until));
        return store.write(
                        "locks.take",
                        Store.order(merchantUid),
                        store.collection(COLLECTION).insertOne(lock))
                .replaceWith(true);
    }

    private Uni<Boolean> takeOverExpired(
            String merchantUid, String token, Instant now, Instant until) {
        return store.bounded(
                        store.collection(COLLECTION).find(eq("_id", merchantUid)).collect().first())
                .flatMap(
                        held -> {
                            if (held == null) {
                                // Released between our insert and this read: one more try, and
                                // whoever wins has it.
                                return insert(merchantUid, token, until)
                                        .onFailure(Store::isDuplicateKey)
                                        .recoverWithItem(false);
                            }
                            Date heldUntil = held.getDate(UNTIL);
                            if (heldUntil != null && heldUntil.toInstant().isAfter(now)) {
                                return Uni.createFrom().item(false);
                            }
                            // The expired holder's token addresses exactly that holding: of two
                            // takers, one matches;
                            // and only while it is still expired, so a holder that renewed
                            // meanwhile keeps it. (Two
                            // fields, off the hot path, on a collection that holds only the locks
                            // in use.)
                            return store.write(
                                            "locks.take",
                                            Store.order(merchantUid),
                                            store.collection(COLLECTION)
                                                    .updateOne(
                                                            and(
                                                                    eq(
                                                                            TOKEN,
                                                                            held.getString(TOKEN)),
                                                                    lte(UNTIL, Date.from(now))),
                                                            Updates.combine(
                                                                    Updates.set(TOKEN, token),
                                                                    Updates.set(
                                                                            UNTIL,
                                                                            Date.from(until)))))
                                    .map(result -> result.getModifiedCount() == 1);
                        });
    }

    /**
     * Extends the lease; {@code false} if {@code token} no longer holds the lock (it was taken
     * over).
     */
    public Uni<Boolean> renew(String token, Instant until) {
        return store.write(
                        "locks.renew",
                        Store.lock(token),
                        store.collection(COLLECTION)
                                .updateOne(eq(TOKEN, token), Updates.set(UNTIL, Date.from(until))))
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Releases the lock if {@code token} still holds it. */
    public Uni<Void> release(String token) {
        return store.write(
                        "locks.release",
                        Store.lock(token),
                        store.collection(COLLECTION).deleteOne(eq(TOKEN, token)))
                .replaceWithVoid();
    }
}
