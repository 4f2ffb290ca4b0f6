package kr.cancelpay.service;

import java.util.LinkedHashMap;
import java.util.Map;
import kr.cancelpay.observability.CancelPayMetrics.InProgress;

/**
 * A refund that cannot go on, as the caller will see it: an HTTP status, a stable {@code code}, a
 * human {@code detail} and extra members of the problem body. No stack trace: these are outcomes.
 */
public class RefundProblem extends RuntimeException {

    public static final String PG_REJECTED = "PG_REJECTED";
    public static final String PG_UNAVAILABLE = "PG_UNAVAILABLE";

    /** Sent, its outcome first unknown, then shown not executed by ChaiPort. */
    public static final String NOT_EXECUTED = "REFUND_NOT_EXECUTED";

    /**
     * Recorded, then its request stopped before sending it (a crash, MongoDB gone): a ledger code
     * only.
     */
    public static final String NOT_SENT = "NOT_SENT";

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions;
    private final Integer retryAfterSeconds;
    private final InProgress inProgress;

    private RefundProblem(
            int status,
            String code,
            String title,
            String detail,
            Map<String, Object> extensions,
            Integer retryAfterSeconds) {
        this(status, code, title, detail, extensions, retryAfterSeconds, null);
    }

    private RefundProblem(
            int status,
            String code,
            String title,
            String detail,
            Map<String, Object> extensions,
            Integer retryAfterSeconds,
            InProgress inProgress) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.extensions = extensions;
        this.retryAfterSeconds = retryAfterSeconds;
        this.inProgress = inProgress;
    }

    public static RefundProblem paymentNotFound(String merchantUid) {
        return new RefundProblem(
                404,
                "PAYMENT_NOT_FOUND",
                "Payment not found",
                "결제정보가 존재하지 않습니다. No payment with merchant_uid '" + merchantUid + "'.",
                Map.of(),
                null);
    }

    public static RefundProblem refundAccountRequired() {
        return new RefundProblem(
                400,
                "REFUND_ACCOUNT_REQUIRED",
                "Refund account required",
                "가상계좌 결제의 환불에는 refund_holder, refund_bank, refund_account가 모두 필요합니다.",
                Map.of(),
                null);
    }

    public static RefundProblem alreadyFullyRefunded() {
        return new RefundProblem(
                409,
                "ALREADY_FULLY_REFUNDED",
                "Already fully refunded",
                "이미 전액환불된 주문입니다.",
                Map.of(),
                null);
    }

    public static RefundProblem amountExceedsCancelable(long requested, long cancelable) {
        return new RefundProblem(
                409,
                "AMOUNT_EXCEEDS_CANCELABLE",
                "Amount exceeds cancelable balance",
                "환불요청금액(" + requested + ")이 환불가능금액(" + cancelable + ")보다 큽니다.",
                Map.of("cancelable_amount", cancelable),
                null);
    }

    /**
     * 409 REFUND_IN_PROGRESS; {@code why} is for the metric and the runbook only (the caller's
     * answer is the same either way).
     */
    public static RefundProblem refundInProgress(
            InProgress why, String detail, int retryAfterSeconds) {
        return new RefundProblem(
                409,
                "REFUND_IN_PROGRESS",
                "Refund in progress",
                detail,
                Map.of(),
                retryAfterSeconds,
                why);
    }

    /**
     * A field that is well-formed alone but wrong for this payment (known only once the amount is).
     */
    public static RefundProblem invalidField(String field, String message) {
        return new RefundProblem(
                400,
                "VALIDATION_FAILED",
                "Invalid request",
                "The refund request is invalid; see errors.",
                Map.of("errors", java.util.List.of(Map.of("field", field, "message", message))),
                null);
    }

    public static RefundProblem refundNotFound(String merchantUid, String refundId) {
        return new RefundProblem(
                404,
                "REFUND_NOT_FOUND",
                "Refund not found",
                "No refund '" + refundId + "' of order '" + merchantUid + "'.",
                Map.of(),
                null);
    }

    public static RefundProblem idempotencyKeyInUse(int retryAfterSeconds) {
        return new RefundProblem(
                409,
                "IDEMPOTENCY_KEY_IN_USE",
                "Idempotency-Key in use",
                "A request with this Idempotency-Key is still being processed. Retry later with the same key to get its answer.",
                Map.of(),
                retryAfterSeconds);
    }

    public static RefundProblem idempotencyKeyReused() {
        return new RefundProblem(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request. Use a new key for a new refund.",
                Map.of(),
                null);
    }

    /** An unknown outcome settled as "not executed": nothing moved; a new request may try again. */
    public static RefundProblem notExecuted(String refundId) {
        return new RefundProblem(
                422,
                NOT_EXECUTED,
                "Refund not executed",
                "환불이 실행되지 않았습니다. Refund "
                        + refundId
                        + " was sent, its answer was lost, and ChaiPort shows it "
                        + "not executed. Send a new request (with a new Idempotency-Key) to try again.",
                Map.of("refund_id", refundId),
                null);
    }

    public static RefundProblem pgRejected(int pgCode, String pgMessage) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("pg_code", pgCode);
        extensions.put("pg_message", pgMessage);
        return new RefundProblem(
                422,
                PG_REJECTED,
                "Refused by ChaiPort",
                pgMessage == null
                        ? "ChaiPort refused the refund."
                        : "ChaiPort refused the refund: " + pgMessage,
                extensions,
                null);
    }

    /** The reason stays in our log: the caller needs the outcome, not our network's details. */
    public static RefundProblem pgUnavailable(int retryAfterSeconds) {
        return new RefundProblem(
                503,
                PG_UNAVAILABLE,
                "ChaiPort unavailable",
                "ChaiPort could not be reached and the refund was not executed. It is safe to try again.",
                Map.of(),
                retryAfterSeconds);
    }

    /**
     * ChaiPort's notification could not be acted on now (the order busy, ChaiPort unreachable or
     * its answer unreadable, a refund's outcome still unknown): a non-2xx answer makes ChaiPort
     * send it again. The same words whatever the reason or the order, and nothing about the
     * payment: the sender is anonymous (the reason is in our log).
     */
    public static RefundProblem webhookNotSynced(int retryAfterSeconds) {
        return new RefundProblem(
                503,
                "WEBHOOK_NOT_SYNCED",
                "Notification not processed",
                "The notification could not be processed now. Send it again later.",
                Map.of(),
                retryAfterSeconds);
    }

    /** A bug: the caller gets no detail of it (the log has it). */
    public static RefundProblem internalError() {
        return new RefundProblem(
                500,
                "INTERNAL_ERROR",
                "Internal error",
                "An unexpected error occurred.",
                Map.of(),
                null);
    }

    public static RefundProblem paymentRecordInvalid(String merchantUid, String what) {
        return new RefundProblem(
                409,
                "PAYMENT_RECORD_INVALID",
                "Payment record unusable",
                "The stored payment '"
                        + merchantUid
                        + "' cannot be refunded automatically: "
                        + what
                        + ".",
                Map.of(),
                null);
    }

    /** The RFC 9457 body: type, title, status, detail, code, and this problem's extra members. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "type",
                "urn:cancelpay:problem:"
                        + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.put("code", code);
        body.putAll(extensions);
        return body;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Why the order could not take the refund, for a REFUND_IN_PROGRESS; null for any other. */
    public InProgress inProgress() {
        return inProgress;
    }
}
