package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import kr.cancelpay.model.Refund;
import kr.cancelpay.model.RefundStatus;

/**
 * The ledger: one document per refund in the service's own {@code refunds} collection. A refund is
 * inserted once and then moved by ONE conditional replace whose filter is its previous {@code
 * state_key} (id + version, uniquely indexed), so a transition is atomic, cannot be applied twice,
 * and is answered from an index by any MongoDB. No multi-document transactions.
 */
@ApplicationScoped
public class RefundLedger {

    public static final String COLLECTION = "refunds";
    public static final String STATE_KEY = "state_key";

    private final Store store;

    RefundLedger(Store store) {
        this.store = store;
    }

    /** Records a new refund; {@code false} if one with its id exists already. */
    public Uni<Boolean> insert(Refund refund) {
        return store.write(
                        "ledger.insert",
                        Store.refund(refund.id()),
                        store.collection(COLLECTION).insertOne(RefundDocuments.toDocument(refund)))
                .replaceWith(true)
                .onFailure(Store::isDuplicateKey)
                .recoverWithItem(false);
    }

    /**
     * Moves {@code from} to {@code to} if nobody moved it since {@code from} was read; {@code
     * false} otherwise (another replica or the janitor got there first: re-read and decide again).
     */
    public Uni<Boolean> transition(Refund from, Refund to) {
        if (to.version() <= from.version() || !to.id().equals(from.id())) {
            throw new IllegalArgumentException(
                    "not a transition of " + from.id() + ": " + to.stateKey());
        }
        return store.write(
                        "ledger.transition",
                        Store.refund(from.id()),
                        store.collection(COLLECTION)
                                .replaceOne(
                                        eq(STATE_KEY, from.stateKey()),
                                        RefundDocuments.toDocument(to)))
                .map(result -> result.getMatchedCount() == 1);
    }

    public Uni<Refund> find(String refundId) {
        return store.bounded(
                        store.collection(COLLECTION).find(eq("_id", refundId)).collect().first())
                .map(document -> document == null ? null : RefundDocuments.fromDocument(document));
    }

    /**
     * An order's refunds, newest first (the read API; served by the {merchant_uid, created_at}
     * index).
     */
    public Uni<List<Refund>> findByMerchantUid(String merchantUid, int limit) {
        return store.bounded(
                store.collection(COLLECTION)
                        .find(
                                new FindOptions()
                                        .filter(eq("merchant_uid", merchantUid))
                                        .sort(Sorts.descending("created_at"))
                                        .limit(limit))
                        .map(RefundDocuments::fromDocument)
                        .collect()
                        .asList());
    }

    /**
     * Refunds still open (PENDING or UNKNOWN) last changed after {@code after} and before {@code
     * before}, oldest first: a page of the janitor's work.
     */
    public Uni<List<Refund>> findOpenSince(Instant after, Instant before, int limit) {
        return store.bounded(
                store.collection(COLLECTION)
                        .find(
                                new FindOptions()
                                        .filter(
                                                and(
                                                        in(
                                                                "status",
                                                                RefundStatus.PENDING.name(),
                                                                RefundStatus.UNKNOWN.name()),
                                                        gt("updated_at", Date.from(after)),
                                                        lte("updated_at", Date.from(before))))
                                        .sort(Sorts.ascending("updated_at"))
                                        .limit(limit))
                        .map(RefundDocuments::fromDocument)
                        .collect()
                        .asList());
    }
}
