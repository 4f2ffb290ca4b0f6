package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepository;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;

/**
 * The merchant's {@code payments} collection. The service reads rows by {@code merchant_uid} (which
 * must be uniquely indexed) and writes only its own fields ({@code cancel_amount}, {@code status},
 * {@code cancel_history}, {@code pay_method} when missing, {@code cancelpay_pending}) with targeted
 * updates whose filter is that one key. Who may write is decided by the order's lock
 * ({@link OrderLocks}), taken before any of these writes.
 */
@ApplicationScoped
public class PaymentRepository implements ReactivePanacheMongoRepository<Payment> {

    public static final String MERCHANT_UID = "merchant_uid";

    private final Store store;
    private volatile ReactiveMongoCollection<Payment> paymentCollection;
    private volatile ReactiveMongoCollection<Document> rowCollection;

    PaymentRepository(Store store) {
        this.store = store;
    }

    public Uni<Payment> findByMerchantUid(String merchantUid) {
        return store.bounded(payments().find(eq(MERCHANT_UID, merchantUid), new FindOptions().limit(1)).collect().first());
    }

    /** The raw row, for reading whatever the merchant keeps in it without a mapping that could refuse it. */
    public Uni<Document> findDocumentByMerchantUid(String merchantUid) {
        return store.bounded(rows().find(eq(MERCHANT_UID, merchantUid)).collect().first());
    }

    /**
     * Panache's collection, taken once: {@code mongoCollection()} and {@code find()} look the client
     * bean and the entity's annotation up on every call, which showed in the benchmark's profile
     * (bench/). The handle is immutable and holds no connection.
     */
    private ReactiveMongoCollection<Payment> payments() {
        ReactiveMongoCollection<Payment> collection = paymentCollection;
        if (collection == null) {
            collection = mongoCollection();
            paymentCollection = collection;
        }
        return collection;
    }

    private ReactiveMongoCollection<Document> rows() {
        ReactiveMongoCollection<Document> collection = rowCollection;
        if (collection == null) {
            collection = payments().withDocumentClass(Document.class);
            rowCollection = collection;
        }
        return collection;
    }

    /**
     * Points the order at the refund about to be sent; also stores {@code payMethod} when it was
     * just learned from ChaiPort (null: leave the row's alone). {@code false} if the row is gone.
     */
    public Uni<Boolean> markPending(String merchantUid, String refundId, Instant requestedAt, String payMethod) {
        List<Bson> updates = new ArrayList<>(List.of(Updates.set(PendingRefund.FIELD,
                new Document("refund_id", refundId).append("requested_at", Date.from(requestedAt)))));
        if (payMethod != null) {
            updates.add(Updates.set("pay_method", payMethod));
        }
        return update("payments.markPending", merchantUid, Updates.combine(updates));
    }

    /**
     * Brings the row in line with ChaiPort's figures: its cumulative {@code cancel_amount}, its
     * status and the history entries the row does not have yet; clears the open-refund pointer when
     * {@code clearPending} (its refund is settled in the ledger).
     */
    public Uni<Boolean> syncFigures(String merchantUid, long cancelAmount, String status, List<CancelHistoryEntry> newEntries,
            boolean clearPending) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set("cancel_amount", cancelAmount));
        if (status != null) {
            updates.add(Updates.set("status", status));
        }
        if (!newEntries.isEmpty()) {
            updates.add(Updates.pushEach("cancel_history", toDocuments(newEntries)));
        }
        if (clearPending) {
            updates.add(Updates.unset(PendingRefund.FIELD));
        }
        return update("payments.syncFigures", merchantUid, Updates.combine(updates));
    }

    /**
     * Orders pointing at a refund since after {@code after} and before {@code before}, oldest first:
     * a page of the janitor's look at rows a crash may have left behind (the refund settled in the ledger, the row not yet). Served on a real
     * MongoDB by a sparse index on {@code cancelpay_pending.requested_at}; not on the hot path.
     */
    public Uni<List<PointedOrder>> findOrdersPointingSince(Instant after, Instant before, int limit) {
        String requestedAt = PendingRefund.FIELD + ".requested_at";
        return store.bounded(payments().find(Document.class, new FindOptions()
                .filter(and(gt(requestedAt, Date.from(after)), lte(requestedAt, Date.from(before))))
                .sort(Sorts.ascending(requestedAt))
                .projection(Projections.include(MERCHANT_UID, requestedAt))
                .limit(limit))
                .map(row -> new PointedOrder(row.getString(MERCHANT_UID),
                        row.get(PendingRefund.FIELD, Document.class).getDate("requested_at").toInstant()))
                .collect().asList());
    }

    /** An order pointing at a refund, and since when. */
    public record PointedOrder(String merchantUid, Instant since) {
    }

    /** Removes the open-refund pointer (its refund is settled, or was never sent). */
    public Uni<Boolean> clearPending(String merchantUid) {
        return update("payments.clearPending", merchantUid, Updates.unset(PendingRefund.FIELD));
    }

    private Uni<Boolean> update(String name, String merchantUid, Bson update) {
        return store.write(name, payments().updateOne(eq(MERCHANT_UID, merchantUid), update))
                .map(result -> result.getMatchedCount() == 1);
    }

    private static List<Document> toDocuments(List<CancelHistoryEntry> entries) {
        return entries.stream().map(entry -> new Document("pg_tid", entry.pgTid)
                .append("amount", entry.amount)
                .append("cancelled_at", entry.cancelledAt)
                .append("reason", entry.reason)
                .append("cancellation_id", entry.cancellationId)
                .append("receipt_url", entry.receiptUrl)).toList();
    }
}
