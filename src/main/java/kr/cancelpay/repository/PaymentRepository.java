package kr.cancelpay.repository;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.MongoException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepository;
import io.smallrye.mutiny.Uni;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;
import kr.cancelpay.model.PendingRefund;
import kr.cancelpay.model.RefundLock;

/**
 * The merchant's {@code payments} collection. Every state change is ONE conditional single-document
 * update, so the refund flow stays correct if the process dies between any two of them, and it
 * only touches the fields the service owns ({@code cancel_amount}, {@code status},
 * {@code cancel_history}, {@code cancelpay_lock}, {@code cancelpay_pending}).
 * Every operation is bounded by {@code cancelpay.store-timeout} and fails with
 * {@link StoreUnavailableException} when MongoDB cannot answer.
 */
@ApplicationScoped
public class PaymentRepository implements ReactivePanacheMongoRepository<Payment> {

    private static final String MERCHANT_UID = "merchant_uid";
    private static final String LOCK_OWNER = RefundLock.FIELD + ".owner";
    private static final String LOCK_UNTIL = RefundLock.FIELD + ".until";

    private final Duration timeout;

    PaymentRepository(CancelPayConfig config) {
        this.timeout = config.cancelpay().storeTimeout();
    }

    public Uni<Payment> findByMerchantUid(String merchantUid) {
        return bounded(find(new Document(MERCHANT_UID, merchantUid)).firstResult());
    }

    /** The raw row, for reading whatever the merchant keeps in it without a mapping that could refuse it. */
    public Uni<Document> findDocumentByMerchantUid(String merchantUid) {
        return bounded(mongoCollection().withDocumentClass(Document.class).find(eq(MERCHANT_UID, merchantUid))
                .collect().first());
    }

    /** Orders with a pending refund recorded before {@code before}, oldest first. */
    public Uni<List<String>> findMerchantUidsPendingSince(Instant before, int limit) {
        String requestedAt = PendingRefund.FIELD + ".requested_at";
        return bounded(mongoCollection().find(Document.class, new FindOptions()
                .filter(lte(requestedAt, Date.from(before)))
                .sort(Sorts.ascending(requestedAt))
                .projection(Projections.include(MERCHANT_UID))
                .limit(limit))
                .map(row -> row.getString(MERCHANT_UID))
                .collect().asList());
    }

    /**
     * Takes the order's lock for {@code owner} when it is free or its lease has run out, and
     * answers the locked document; {@code null} when another request holds it (or no such order).
     */
    public Uni<Payment> lock(String merchantUid, String owner, Instant now, Instant until) {
        Bson free = or(exists(RefundLock.FIELD, false), eq(RefundLock.FIELD, null), lte(LOCK_UNTIL, Date.from(now)));
        Bson take = Updates.set(RefundLock.FIELD, new Document("owner", owner).append("until", Date.from(until)));
        return bounded(mongoCollection().findOneAndUpdate(and(eq(MERCHANT_UID, merchantUid), free), take,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
    }

    /**
     * Records the refund about to be sent and renews the lock's lease for the send; also stores
     * {@code payMethod} when it was just learned from ChaiPort (null: leave the row's alone).
     * {@code false} if {@code owner} no longer holds the lock.
     */
    public Uni<Boolean> recordPending(String merchantUid, String owner, PendingRefund pending, Instant leaseUntil,
            String payMethod) {
        Document value = new Document("refund_id", pending.refundId)
                .append("amount", pending.amount)
                .append("cancel_amount_before", pending.cancelAmountBefore)
                .append("reason", pending.reason)
                .append("requested_at", pending.requestedAt);
        List<Bson> updates = new ArrayList<>(List.of(Updates.set(PendingRefund.FIELD, value),
                Updates.set(LOCK_UNTIL, Date.from(leaseUntil))));
        if (payMethod != null) {
            updates.add(Updates.set("pay_method", payMethod));
        }
        return updateOwned(merchantUid, owner, Updates.combine(updates));
    }

    /** Extends the lease before another send; {@code false} if {@code owner} no longer holds the lock. */
    public Uni<Boolean> renewLock(String merchantUid, String owner, Instant leaseUntil) {
        return updateOwned(merchantUid, owner, Updates.set(LOCK_UNTIL, Date.from(leaseUntil)));
    }

    /**
     * Syncs the order with ChaiPort's figures after an executed cancel and clears the pending
     * refund; also releases the lock when {@code unlock}. {@code false} if the lock was lost.
     */
    public Uni<Boolean> recordRefund(String merchantUid, String owner, long cancelAmount, String status,
            List<CancelHistoryEntry> newEntries, boolean unlock) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set("cancel_amount", cancelAmount));
        if (status != null) {
            updates.add(Updates.set("status", status));
        }
        if (!newEntries.isEmpty()) {
            updates.add(Updates.pushEach("cancel_history", toDocuments(newEntries)));
        }
        updates.add(Updates.unset(PendingRefund.FIELD));
        if (unlock) {
            updates.add(Updates.unset(RefundLock.FIELD));
        }
        return updateOwned(merchantUid, owner, Updates.combine(updates));
    }

    /**
     * Last resort when the lock was lost while ChaiPort executed our cancel: record ChaiPort's
     * figures anyway, in a way that cannot go backwards or duplicate history, and leave the lock and
     * any pending refund to their current owner.
     */
    public Uni<Boolean> recordRefundUnlocked(String merchantUid, long cancelAmount, List<CancelHistoryEntry> newEntries) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.max("cancel_amount", cancelAmount));
        if (!newEntries.isEmpty()) {
            updates.add(Updates.addEachToSet("cancel_history", toDocuments(newEntries)));
        }
        return bounded(mongoCollection().updateOne(eq(MERCHANT_UID, merchantUid), Updates.combine(updates)))
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Forgets a pending refund that certainly did not execute, and releases the lock when {@code unlock}. */
    public Uni<Boolean> clearPending(String merchantUid, String owner, boolean unlock) {
        Bson update = unlock
                ? Updates.combine(Updates.unset(PendingRefund.FIELD), Updates.unset(RefundLock.FIELD))
                : Updates.unset(PendingRefund.FIELD);
        return updateOwned(merchantUid, owner, update);
    }

    /** Releases the lock; a pending refund, if any, stays and blocks new cancels until settled. */
    public Uni<Boolean> unlock(String merchantUid, String owner) {
        return updateOwned(merchantUid, owner, Updates.unset(RefundLock.FIELD));
    }

    private Uni<Boolean> updateOwned(String merchantUid, String owner, Bson update) {
        return bounded(mongoCollection().updateOne(and(eq(MERCHANT_UID, merchantUid), eq(LOCK_OWNER, owner)), update))
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

    private <T> Uni<T> bounded(Uni<T> operation) {
        return operation
                .ifNoItem().after(timeout).failWith(() -> new StoreUnavailableException(
                        "MongoDB did not answer within " + timeout, null))
                .onFailure(MongoException.class).transform(failure -> new StoreUnavailableException(
                        "MongoDB unavailable: " + failure.getClass().getSimpleName(), failure));
    }
}
