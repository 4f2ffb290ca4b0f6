package kr.cancelpay.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refund that cannot go on, as the caller will see it: an HTTP status, a stable {@code code}, a
 * human {@code detail} and extra members of the problem body. No stack trace: these are outcomes.
 */
public class RefundProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions;
    private final Integer retryAfterSeconds;

    private RefundProblem(int status, String code, String title, String detail, Map<String, Object> extensions,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.extensions = extensions;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static RefundProblem paymentNotFound(String merchantUid) {
        return new RefundProblem(404, "PAYMENT_NOT_FOUND", "Payment not found",
                "결제정보가 존재하지 않습니다. No payment with merchant_uid '" + merchantUid + "'.", Map.of(), null);
    }

    public static RefundProblem refundAccountRequired() {
        return new RefundProblem(400, "REFUND_ACCOUNT_REQUIRED", "Refund account required",
                "가상계좌 결제의 환불에는 refund_holder, refund_bank, refund_account가 모두 필요합니다.", Map.of(), null);
    }

    public static RefundProblem alreadyFullyRefunded() {
        return new RefundProblem(409, "ALREADY_FULLY_REFUNDED", "Already fully refunded",
                "이미 전액환불된 주문입니다.", Map.of(), null);
    }

    public static RefundProblem amountExceedsCancelable(long requested, long cancelable) {
        return new RefundProblem(409, "AMOUNT_EXCEEDS_CANCELABLE", "Amount exceeds cancelable balance",
                "환불요청금액(" + requested + ")이 환불가능금액(" + cancelable + ")보다 큽니다.",
                Map.of("cancelable_amount", cancelable), null);
    }

    public static RefundProblem refundInProgress(String detail, int retryAfterSeconds) {
        return new RefundProblem(409, "REFUND_IN_PROGRESS", "Refund in progress", detail, Map.of(), retryAfterSeconds);
    }

    public static RefundProblem pgRejected(int pgCode, String pgMessage) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("pg_code", pgCode);
        extensions.put("pg_message", pgMessage);
        return new RefundProblem(422, "PG_REJECTED", "Refused by ChaiPort",
                "ChaiPort refused the refund: " + pgMessage, extensions, null);
    }

    /** The reason stays in our log: the caller needs the outcome, not our network's details. */
    public static RefundProblem pgUnavailable(int retryAfterSeconds) {
        return new RefundProblem(503, "PG_UNAVAILABLE", "ChaiPort unavailable",
                "ChaiPort could not be reached and the refund was not executed. It is safe to try again.",
                Map.of(), retryAfterSeconds);
    }

    public static RefundProblem paymentRecordInvalid(String merchantUid, String what) {
        return new RefundProblem(409, "PAYMENT_RECORD_INVALID", "Payment record unusable",
                "The stored payment '" + merchantUid + "' cannot be refunded automatically: " + what + ".", Map.of(), null);
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
}
