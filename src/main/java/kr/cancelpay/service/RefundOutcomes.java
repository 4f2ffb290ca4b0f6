package kr.cancelpay.service;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import kr.cancelpay.observability.CancelPayMetrics;
import kr.cancelpay.repository.StoreUnavailableException;

/**
 * One log line and one metric per refund request, whatever its end. The line's fields go to the
 * MDC, so the JSON log of production carries them as fields ({@code mdc.merchant_uid}, ...). No
 * refund account and no token ever reaches it.
 */
@ApplicationScoped
class RefundOutcomes {

    private static final Logger LOG = Logger.getLogger(RefundOutcomes.class);
    private static final String[] FIELDS = { "merchant_uid", "refund_id", "outcome", "requested_amount", "amount",
            "cancel_amount_before", "cancel_amount", "pg_latency_ms" };

    private final CancelPayMetrics metrics;

    RefundOutcomes(CancelPayMetrics metrics) {
        this.metrics = metrics;
    }

    void record(RefundContext context, RefundResult result, Throwable failure) {
        String outcome = outcome(result, failure);
        long refunded = result instanceof RefundResult.Refunded refundedResult ? refundedResult.cancellation().amount() : 0;
        metrics.refundOutcome(outcome, refunded);
        try {
            MDC.put("merchant_uid", context.merchantUid());
            MDC.put("refund_id", context.refundId);
            MDC.put("outcome", outcome);
            MDC.put("requested_amount", context.command.amount() == null ? "all" : context.command.amount().toString());
            if (context.amount > 0) {
                MDC.put("amount", Long.toString(context.amount));
                MDC.put("cancel_amount_before", Long.toString(context.cancelAmountBefore));
            }
            if (result instanceof RefundResult.Refunded refundedResult) {
                MDC.put("cancel_amount", Long.toString(refundedResult.cancelAmount()));
            }
            MDC.put("pg_latency_ms", Long.toString(context.chaiPortMillis()));
            if (failure != null && !(failure instanceof RefundProblem) && !(failure instanceof StoreUnavailableException)) {
                LOG.errorf("refund outcome %s for %s (refund %s): %s", outcome, context.merchantUid(), context.refundId,
                        failure.getClass().getName());
            } else {
                LOG.infof("refund outcome %s for %s (refund %s, amount %d, ChaiPort %d ms)", outcome,
                        context.merchantUid(), context.refundId, context.amount, context.chaiPortMillis());
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
        return failure == null ? "cancelled" : "error";
    }
}
