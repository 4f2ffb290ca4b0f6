package kr.cancelpay.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.repository.StoreUnavailableException;
import kr.cancelpay.repository.StoreWriteRejectedException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line and one metric per refund request, whatever its end. The line's fields go to the
 * MDC, so the JSON log of production carries them as fields ({@code mdc.merchant_uid}, ...). It is
 * the audit trail too: who asked ({@code requested_by}: the JWT subject, {@code anonymous} with
 * auth off) and with which {@code Idempotency-Key} ({@code none} without one), as the ledger stores
 * them. No refund account and no token ever reaches it.
 */
@ApplicationScoped
class RefundOutcomes {

    private static final Logger LOG = Logger.getLogger(RefundOutcomes.class);
    private static final String[] FIELDS = {
        "merchant_uid",
        "refund_id",
        "outcome",
        "requested_amount",
        "amount",
        "cancel_amount",
        "pg_latency_ms",
        "requested_by",
        "idempotency_key"
    };

    private final CancelPayMetrics metrics;

    RefundOutcomes(CancelPayMetrics metrics) {
        this.metrics = metrics;
    }

    void record(
            RefundRequest request, RefundResult result, Throwable failure, long chaiPortMillis) {
        String outcome = outcome(result, failure);
        long refunded =
                result instanceof RefundResult.Refunded ? result.answer().refund().amount() : 0;
        metrics.refundOutcome(outcome, refunded);
        if (failure instanceof RefundProblem problem && problem.inProgress() != null) {
            metrics.refundInProgress(problem.inProgress());
        }
        RefundCommand command = request.command();
        String key = request.idempotencyKey() == null ? "none" : request.idempotencyKey();
        try {
            MDC.put("merchant_uid", request.merchantUid());
            MDC.put("refund_id", request.refundId());
            MDC.put("outcome", outcome);
            MDC.put(
                    "requested_amount",
                    command.amount() == null ? "all" : command.amount().toString());
            if (result != null) {
                MDC.put("amount", Long.toString(result.answer().refund().amount()));
            }
            if (result instanceof RefundResult.Refunded) {
                MDC.put("cancel_amount", Long.toString(result.answer().payment().cancelAmount()));
            }
            MDC.put("pg_latency_ms", Long.toString(chaiPortMillis));
            MDC.put("requested_by", request.requestedBy());
            MDC.put("idempotency_key", key);
            if (failure != null
                    && !(failure instanceof RefundProblem)
                    && !(failure instanceof StoreUnavailableException)) {
                LOG.errorf(
                        "refund outcome %s for %s (refund %s, requested by %s, Idempotency-Key %s): %s",
                        outcome,
                        request.merchantUid(),
                        request.refundId(),
                        request.requestedBy(),
                        key,
                        failure.getClass().getName());
            } else {
                LOG.infof(
                        "refund outcome %s for %s (refund %s, requested by %s, Idempotency-Key %s, ChaiPort %d ms)",
                        outcome,
                        request.merchantUid(),
                        request.refundId(),
                        request.requestedBy(),
                        key,
                        chaiPortMillis);
            }
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }

    private static String outcome(RefundResult result, Throwable failure) {
        if (result instanceof RefundResult.Refunded) {
            return "refunded";
        }
        if (result instanceof RefundResult.Pending) {
            return "pending";
        }
        if (failure instanceof RefundProblem problem) {
            return problem.code().toLowerCase(Locale.ROOT);
        }
        if (failure instanceof StoreUnavailableException) {
            return "store_unavailable";
        }
        if (failure instanceof StoreWriteRejectedException) {
            return "store_write_rejected";
        }
        return failure == null ? "cancelled" : "error";
    }
}
