package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.FindOptions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

    /** When a settlement conflict of the refund was first recorded (absent: never). */
    public static final String CONFLICT_AT = "conflict_at";

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

    /**
     * Records that ChaiPort's figures contradict {@code refund} as read (a settlement conflict),
     * the first time only: answers {@code true} for the one writer, of every replica and pass, that
     * recorded it first. {@code $min} keeps the first time; the filter is the uniquely indexed
     * {@code state_key}. A later transition of the refund (a person settling it) drops the mark.
     */
    public Uni<Boolean> markConflict(Refund refund, Instant now) {
        return store.write(
                        "ledger.markConflict",
                        Store.refund(refund.id()),
                        store.collection(COLLECTION)
                                .findOneAndUpdate(
                                        eq(STATE_KEY, refund.stateKey()),
                                        Updates.min(CONFLICT_AT, Date.from(now)),
                                        new FindOneAndUpdateOptions()
                                                .returnDocument(ReturnDocument.BEFORE)))
                .map(before -> before != null && !before.containsKey(CONFLICT_AT));
    }

    /** How many refunds are open, by status, and when the oldest of them was created. */
    public record OpenRefunds(Map<String, Long> byStatus, Instant oldestCreatedAt) {
        public static final OpenRefunds NONE = new OpenRefunds(Map.of(), null);

        public OpenRefunds {
            byStatus = Map.copyOf(byStatus);
        }

        public long count(String status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    /**
     * Counts the open refunds (PENDING, UNKNOWN) for the gauges: one aggregation whose {@code
     * $match} on {@code status} a real MongoDB answers from the {@code {status, updated_at}} index
     * (which selects only the open refunds, normally a handful); the embedded one scans the
     * collection. Never on a request's path: a scheduled task runs it ({@code LedgerGauges}).
     */
    public Uni<OpenRefunds> openRefunds() {
        return store.bounded(
                        store.collection(COLLECTION)
                                .aggregate(
                                        List.of(
                                                Aggregates.match(
                                                        in(
                                                                "status",
                                                                RefundStatus.PENDING.name(),
                                                                RefundStatus.UNKNOWN.name())),
                                                Aggregates.group(
                                                        "$status",
                                                        Accumulators.sum("count", 1),
                                                        Accumulators.min("oldest", "$created_at"))))
                                .collect()
                                .asList())
                .map(
                        groups ->
                                new OpenRefunds(
                                        groups.stream()
                                                .collect(
                                                        Collectors.toMap(
                                                                group -> group.getString("_id"),
                                                                group ->
                                                                        ((Number)
                                                                                        group.get(
                                                                                                "count"))
                                                                                .longValue())),
                                        groups.stream()
                                                .map(group -> group.getDate("oldest"))
                                                .filter(java.util.Objects::nonNull)
                                                .map(Date::toInstant)
                                                .min(Instant::compareTo)
                                                .orElse(null)));
    }
}
