package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The merchant's collection ({@code cancelpay.payments-collection}, the guide's {@code payments}).
 * The service reads rows by {@code merchant_uid} (which must be uniquely indexed: {@link
 * PaymentsCollectionCheck}) and writes only its own fields ({@code cancel_amount}, {@code status},
 * {@code cancel_history}, {@code pay_method} when missing, {@code cancelpay_pending}) with targeted
 * updates whose filter is that one key. Who may write is decided by the order's lock ({@link
 * OrderLocks}), taken before any of these writes.
 */
@ApplicationScoped
public class PaymentRepository {

    public static final String MERCHANT_UID = "merchant_uid";

    private final Store store;

    /** The rows as the refund flow maps them, and as they are (both handles made once). */
    private final ReactiveMongoCollection<Payment> rows;

    private final ReactiveMongoCollection<Document> documents;

    PaymentRepository(Store store, CancelPayConfig config) {
        this.store = store;
        String name = config.cancelpay().paymentsCollection();
        this.documents = store.collection(name);
        this.rows = documents.withDocumentClass(Payment.class);
    }

    public Uni<Payment> findByMerchantUid(String merchantUid) {
        return store.bounded(rows.find(byMerchantUid(merchantUid)).collect().first());
    }

    /**
     * The raw row, for reading whatever the merchant keeps in it without a mapping that could
     * refuse it.
     */
    public Uni<Document> findDocumentByMerchantUid(String merchantUid) {
        return store.bounded(documents.find(byMerchantUid(merchantUid)).collect().first());
    }

    /**
     * Points the order at the refund about to be sent; also stores {@code payMethod} when it was
     * just learned from ChaiPort (null: leave the row's alone). {@code false} if the row is gone.
     */
    public Uni<Boolean> markPending(
            String merchantUid, String refundId, Instant requestedAt, String payMethod) {
        List<Bson> updates =
                new ArrayList<>(
                        List.of(
                                Updates.set(
                                        PendingRefund.FIELD,
                                        new Document("refund_id", refundId)
                                                .append("requested_at", Date.from(requestedAt)))));
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
    public Uni<Boolean> syncFigures(
            String merchantUid,
            long cancelAmount,
            String status,
            List<CancelHistoryEntry> newEntries,
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
     * Orders pointing at a refund since after {@code after} and before {@code before}, oldest
     * first: a page of the janitor's look at rows a crash may have left behind (the refund settled
     * in the ledger, the row not yet). Served on a real MongoDB by a sparse index on {@code
     * cancelpay_pending.requested_at}; not on the hot path.
     */
    public Uni<List<PointedOrder>> findOrdersPointingSince(
            Instant after, Instant before, int limit) {
        String requestedAt = PendingRefund.FIELD + ".requested_at";
        return store.bounded(
                documents
                        .find(
                                Document.class,
                                new FindOptions()
                                        .filter(
                                                and(
                                                        gt(requestedAt, Date.from(after)),
                                                        lte(requestedAt, Date.from(before))))
                                        .sort(Sorts.ascending(requestedAt))
                                        .projection(Projections.include(MERCHANT_UID, requestedAt))
                                        .limit(limit))
                        .map(
                                row ->
                                        new PointedOrder(
                                                row.getString(MERCHANT_UID),
                                                row.get(PendingRefund.FIELD, Document.class)
                                                        .getDate("requested_at")
                                                        .toInstant()))
                        .collect()
                        .asList());
    }

    /** An order pointing at a refund, and since when. */
    public record PointedOrder(String merchantUid, Instant since) {}

    /** Removes the open-refund pointer (its refund is settled, or was never sent). */
    public Uni<Boolean> clearPending(String merchantUid) {
        return update("payments.clearPending", merchantUid, Updates.unset(PendingRefund.FIELD));
    }

    private Uni<Boolean> update(String name, String merchantUid, Bson update) {
        return store.write(
                        name,
                        Store.order(merchantUid),
                        documents.updateOne(eq(MERCHANT_UID, merchantUid), update))
                .map(result -> result.getMatchedCount() == 1);
    }

    /** The one row of the order: one document, its cursor closed with the first batch. */
    private static FindOptions byMerchantUid(String merchantUid) {
        return new FindOptions().filter(eq(MERCHANT_UID, merchantUid)).limit(1);
    }

    private static List<Document> toDocuments(List<CancelHistoryEntry> entries) {
        return entries.stream()
                .map(
                        entry ->
                                new Document("pg_tid", entry.pgTid)
                                        .append("amount", entry.amount)
                                        .append("cancelled_at", entry.cancelledAt)
                                        .append("reason", entry.reason)
                                        .append("cancellation_id", entry.cancellationId)
                                        .append("receipt_url", entry.receiptUrl))
                .toList();
    }
}
