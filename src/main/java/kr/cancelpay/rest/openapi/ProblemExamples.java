package kr.cancelpay.rest.openapi;

/** Example bodies for the OpenAPI document, one per error the endpoints can answer. */
public final class ProblemExamples {

    public static final String VALIDATION_FAILED =
            "{\"type\":\"urn:cancelpay:problem:validation-failed\",\"title\":\"Invalid request\","
                    + "\"status\":400,\"detail\":\"The refund request is invalid; see errors.\",\"code\":\"VALIDATION_FAILED\","
                    + "\"errors\":[{\"field\":\"cancel_request_amount\",\"message\":\"must be a whole number of won\"}]}";
    public static final String REFUND_ACCOUNT_REQUIRED =
            "{\"type\":\"urn:cancelpay:problem:refund-account-required\","
                    + "\"title\":\"Refund account required\",\"status\":400,\"detail\":\"가상계좌 결제의 환불에는 refund_holder, refund_bank, "
                    + "refund_account가 모두 필요합니다.\",\"code\":\"REFUND_ACCOUNT_REQUIRED\"}";
    public static final String UNAUTHENTICATED =
            "{\"type\":\"urn:cancelpay:problem:unauthenticated\",\"title\":\"Unauthenticated\","
                    + "\"status\":401,\"detail\":\"A valid bearer token is required (Authorization: Bearer <JWT>).\",\"code\":\"UNAUTHENTICATED\"}";
    public static final String FORBIDDEN =
            "{\"type\":\"urn:cancelpay:problem:forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                    + "\"detail\":\"The token does not carry the group this operation needs.\",\"code\":\"FORBIDDEN\"}";
    public static final String PAYMENT_NOT_FOUND =
            "{\"type\":\"urn:cancelpay:problem:payment-not-found\",\"title\":\"Payment not found\","
                    + "\"status\":404,\"detail\":\"결제정보가 존재하지 않습니다. No payment with merchant_uid 'order-9'.\",\"code\":\"PAYMENT_NOT_FOUND\"}";
    public static final String ALREADY_FULLY_REFUNDED =
            "{\"type\":\"urn:cancelpay:problem:already-fully-refunded\","
                    + "\"title\":\"Already fully refunded\",\"status\":409,\"detail\":\"이미 전액환불된 주문입니다.\",\"code\":\"ALREADY_FULLY_REFUNDED\"}";
    public static final String AMOUNT_EXCEEDS_CANCELABLE =
            "{\"type\":\"urn:cancelpay:problem:amount-exceeds-cancelable\","
                    + "\"title\":\"Amount exceeds cancelable balance\",\"status\":409,\"detail\":\"환불요청금액(9000)이 환불가능금액(5000)보다 큽니다.\","
                    + "\"code\":\"AMOUNT_EXCEEDS_CANCELABLE\",\"cancelable_amount\":5000}";
    public static final String REFUND_IN_PROGRESS =
            "{\"type\":\"urn:cancelpay:problem:refund-in-progress\",\"title\":\"Refund in progress\","
                    + "\"status\":409,\"detail\":\"다른 환불 요청이 처리 중입니다. Another refund of this order is being processed.\","
                    + "\"code\":\"REFUND_IN_PROGRESS\"}";
    public static final String PG_REJECTED =
            "{\"type\":\"urn:cancelpay:problem:pg-rejected\",\"title\":\"Refused by ChaiPort\",\"status\":422,"
                    + "\"detail\":\"ChaiPort refused the refund: 이미 전액취소된 주문입니다.\",\"code\":\"PG_REJECTED\",\"pg_code\":1,"
                    + "\"pg_message\":\"이미 전액취소된 주문입니다.\"}";
    public static final String PG_UNAVAILABLE =
            "{\"type\":\"urn:cancelpay:problem:pg-unavailable\",\"title\":\"ChaiPort unavailable\","
                    + "\"status\":503,\"detail\":\"ChaiPort could not be reached and the refund was not executed (cannot connect to ChaiPort). "
                    + "It is safe to try again.\",\"code\":\"PG_UNAVAILABLE\"}";
    public static final String STORE_UNAVAILABLE =
            "{\"type\":\"urn:cancelpay:problem:store-unavailable\",\"title\":\"Payment store unavailable\","
                    + "\"status\":503,\"detail\":\"The payment database cannot be reached; nothing was sent to ChaiPort. Try again shortly.\","
                    + "\"code\":\"STORE_UNAVAILABLE\"}";

    public static final String STORE_WRITE_REJECTED =
            "{\"type\":\"urn:cancelpay:problem:store-write-rejected\","
                    + "\"title\":\"Payment store refused a write\",\"status\":500,\"detail\":\"The payment database refused to record "
                    + "a change of this order and will refuse it until the stored document is fixed; retrying will not help. A refund "
                    + "already sent to ChaiPort stays in the ledger and is settled once the document is fixed.\","
                    + "\"code\":\"STORE_WRITE_REJECTED\"}";
    public static final String PAYLOAD_TOO_LARGE =
            "{\"type\":\"urn:cancelpay:problem:payload-too-large\","
                    + "\"title\":\"Payload too large\",\"status\":413,\"detail\":\"The request body exceeds 65536 bytes.\","
                    + "\"code\":\"PAYLOAD_TOO_LARGE\"}";
    public static final String UNSUPPORTED_MEDIA_TYPE =
            "{\"type\":\"urn:cancelpay:problem:unsupported-media-type\","
                    + "\"title\":\"Unsupported Media Type\",\"status\":415,\"detail\":\"Send the body with a Content-Type this "
                    + "endpoint consumes: application/json (the webhook also takes application/x-www-form-urlencoded).\",\"code\":\"UNSUPPORTED_MEDIA_TYPE\"}";
    public static final String WEBHOOK_RATE_LIMITED =
            "{\"type\":\"urn:cancelpay:problem:webhook-rate-limited\","
                    + "\"title\":\"Too many notifications\",\"status\":429,\"detail\":\"Too many notifications are being processed "
                    + "now. Send it again later.\",\"code\":\"WEBHOOK_RATE_LIMITED\"}";
    public static final String WEBHOOK_NOT_SYNCED =
            "{\"type\":\"urn:cancelpay:problem:webhook-not-synced\","
                    + "\"title\":\"Notification not processed\",\"status\":503,\"detail\":\"The notification could not be "
                    + "processed now. Send it again later.\",\"code\":\"WEBHOOK_NOT_SYNCED\"}";

    private ProblemExamples() {}

    public static final String IDEMPOTENCY_KEY_IN_USE =
            "{\"type\":\"urn:cancelpay:problem:idempotency-key-in-use\","
                    + "\"title\":\"Idempotency-Key in use\",\"status\":409,\"detail\":\"A request with this Idempotency-Key is still "
                    + "being processed. Retry later with the same key to get its answer.\",\"code\":\"IDEMPOTENCY_KEY_IN_USE\"}";
    public static final String IDEMPOTENCY_KEY_REUSED =
            "{\"type\":\"urn:cancelpay:problem:idempotency-key-reused\","
                    + "\"title\":\"Idempotency-Key reused\",\"status\":422,\"detail\":\"This Idempotency-Key was used for a different "
                    + "request. Use a new key for a new refund.\",\"code\":\"IDEMPOTENCY_KEY_REUSED\"}";
    public static final String REFUND_NOT_EXECUTED =
            "{\"type\":\"urn:cancelpay:problem:refund-not-executed\","
                    + "\"title\":\"Refund not executed\",\"status\":422,\"detail\":\"환불이 실행되지 않았습니다. Refund rf_... was sent, its "
                    + "answer was lost, and ChaiPort shows it not executed. Send a new request (with a new Idempotency-Key) to try "
                    + "again.\",\"code\":\"REFUND_NOT_EXECUTED\",\"refund_id\":\"rf_2hV0cJ3xk9QmT1bYl7sWnE4aRz\"}";
    public static final String REFUND_NOT_FOUND =
            "{\"type\":\"urn:cancelpay:problem:refund-not-found\","
                    + "\"title\":\"Refund not found\",\"status\":404,\"detail\":\"No refund 'rf_x' of order 'order-1001'.\","
                    + "\"code\":\"REFUND_NOT_FOUND\"}";
}
