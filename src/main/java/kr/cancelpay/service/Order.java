package kr.cancelpay.service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.cancelpay.model.CancelHistoryEntry;
import kr.cancelpay.model.Payment;

/**
 * A payment row as the refund flow sees it, read once under the order's lock and passed along as a
 * value.
 *
 * @param amount what was paid; null when the row has none (it cannot be refunded automatically)
 * @param cancelAmount refunded so far as the row records it (ChaiPort's figure at the last sync)
 * @param pendingRefundId the open refund the row points at, if any
 */
record Order(
        String merchantUid,
        String impUid,
        String payMethod,
        Long amount,
        long cancelAmount,
        List<CancelHistoryEntry> history,
        String pendingRefundId) {

    Order {
        history = history == null ? List.of() : List.copyOf(history);
    }

    static Order of(Payment payment) {
        return new Order(
                payment.merchantUid,
                payment.impUid,
                payment.payMethod,
                payment.amount,
                payment.refundedSoFar(),
                payment.history(),
                payment.pending == null ? null : payment.pending.refundId);
    }

    long cancelable() {
        return amount - cancelAmount;
    }

    boolean isVirtualAccount() {
        return "vbank".equals(payMethod);
    }

    Order withPayMethod(String learned) {
        return new Order(
                merchantUid, impUid, learned, amount, cancelAmount, history, pendingRefundId);
    }

    /** The order after its row was synced with ChaiPort's figure and new history entries. */
    Order synced(long figure, List<CancelHistoryEntry> fresh, boolean pointerCleared) {
        List<CancelHistoryEntry> all = new java.util.ArrayList<>(history);
        all.addAll(fresh);
        return new Order(
                merchantUid,
                impUid,
                payMethod,
                amount,
                figure,
                all,
                pointerCleared ? null : pendingRefundId);
    }

    /**
     * The ChaiPort cancels the row already holds, by cancellation_id (or pg_tid when it has none).
     */
    Set<String> knownCancels() {
        Set<String> known = new HashSet<>();
        for (CancelHistoryEntry entry : history) {
            known.add(entry.cancellationId != null ? entry.cancellationId : entry.pgTid);
        }
        return known;
    }
}
