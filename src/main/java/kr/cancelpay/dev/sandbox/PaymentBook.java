package kr.cancelpay.dev.sandbox;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The PG's ledger: payments keyed by imp_uid, in registration order.
 *
 * <p>Two levels of locking. The book's own monitor guards the map for short reads and writes. A
 * per-payment monitor serialises everything that reads-then-writes ONE payment (cancels,
 * replacement), which is what makes the checksum guard meaningful under concurrency, while cancels
 * of different payments still run in parallel.
 */
final class PaymentBook {

    private static final System.Logger LOG = System.getLogger(PaymentBook.class.getName());

    private final Map<String, SandboxPayment> payments = new LinkedHashMap<>();
    private final Map<String, Object> paymentLocks = new ConcurrentHashMap<>();
    private final AtomicInteger executedCancels = new AtomicInteger();
    private final Object persistLock = new Object();
    private volatile PaymentSnapshotFile snapshotFile;

    // ---- reads -------------------------------------------------------------------------------

    synchronized Optional<SandboxPayment> byImpUid(String impUid) {
        return Optional.ofNullable(payments.get(impUid));
    }

    /**
     * The most recently registered payment of an order ({@code status} filters when not null), like
     * V1's {@code /payments/find}, whose default sorting is newest first.
     */
    synchronized Optional<SandboxPayment> byMerchantUid(String merchantUid, String status) {
        SandboxPayment found = null;
        for (SandboxPayment p : payments.values()) {
            if (merchantUid.equals(p.merchantUid())
                    && (status == null || status.equals(p.status()))) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    synchronized List<SandboxPayment> all() {
        return List.copyOf(payments.values());
    }

    int executedCancels() {
        return executedCancels.get();
    }

    // ---- writes ------------------------------------------------------------------------------

    /** Runs {@code action} holding the lock of one payment (which need not exist yet). */
    <T> T withPaymentLock(String impUid, Supplier<T> action) {
        Object lock = paymentLocks.computeIfAbsent(impUid, k -> new Object());
        synchronized (lock) {
            return action.get();
        }
    }

    void put(SandboxPayment payment) {
        withPaymentLock(
                payment.impUid(),
                () -> {
                    store(payment);
                    return null;
                });
        persist();
    }

    /** Stores the result of an executed cancel. Callers hold the payment's lock. */
    void recordExecutedCancel(SandboxPayment updated) {
        store(updated);
        executedCancels.incrementAndGet();
        persist();
    }

    void clear() {
        synchronized (this) {
            payments.clear();
        }
        persist();
    }

    void resetExecutedCancels() {
        executedCancels.set(0);
    }

    private synchronized void store(SandboxPayment payment) {
        payments.put(payment.impUid(), payment);
    }

    // ---- persistence -------------------------------------------------------------------------

    /** Loads {@code file} if it exists (replacing all payments), then keeps it up to date. */
    void persistTo(Path file) {
        PaymentSnapshotFile snapshot = new PaymentSnapshotFile(file);
        if (snapshot.exists()) {
            List<SandboxPayment> loaded = snapshot.read();
            synchronized (this) {
                payments.clear();
                loaded.forEach(p -> payments.put(p.impUid(), p));
            }
        }
        snapshotFile = snapshot;
        persist();
    }

    /**
     * Writes the whole book. The snapshot is taken inside the persist lock, so the file always ends
     * with the newest state even when two payments change concurrently. A failed write is logged,
     * not thrown: the in-memory book (the PG's truth) has already changed and must keep answering.
     */
    private void persist() {
        PaymentSnapshotFile target = snapshotFile;
        if (target == null) {
            return;
        }
        synchronized (persistLock) {
            List<SandboxPayment> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(payments.values());
            }
            try {
                target.write(snapshot);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "ChaiPort sandbox could not persist payments to " + target.path(),
                        e);
            }
        }
    }
}
