package kr.cancelpay.rest.openapi;

/**
 * Example answers for the OpenAPI document, copied from real answers (AnswerSamplesTest writes them
 * to target/answer-samples.md and checks that each example has exactly the fields of its real
 * answer).
 */
public final class AnswerExamples {

    private static final String SUCCEEDED_REFUND =
            """
            {"refund_id":"rf_azdwTh7SE15x7xJJyNWj4yLHFw","merchant_uid":"order-1001",\
            "imp_uid":"imp_order-1001","status":"SUCCEEDED","source":"api","amount":3000,"reason":"단순변심",\
            "cancellation":{"cancellation_id":"sandbox_cancel_241deb10255c022af908427ce87a9ce1",\
            "pg_tid":"sandbox_tid_3f8849543da9666d99bd",\
            "receipt_url":"https://sandbox.chaiport.invalid/receipts/imp_order-1001/cancel/sandbox_cancel_241deb10255c022af908427ce87a9ce1",\
            "cancelled_at":"2026-11-27T22:50:32Z"},\
            "attempts":[{"number":1,"sent_at":"2026-11-27T22:50:30.887Z","outcome":"executed"}],\
            "requested_by":"merchant-backoffice","created_at":"2026-11-27T22:50:30.887Z",\
            "updated_at":"2026-11-27T22:50:32.299Z","settled_at":"2026-11-27T22:50:32.299Z"}""";

    private static final String PAYMENT_AFTER_REFUND =
            """
            {"merchant_uid":"order-1001","imp_uid":"imp_order-1001","pay_method":"card",\
            "paid_amount":10000,"cancel_amount":3000,"cancelable_amount":7000,"status":"paid",\
            "pending_refund_id":null}""";

    /** POST /payments/cancel 200, and GET /payments/{merchant_uid}/refunds/{refund_id} 200. */
    public static final String REFUNDED =
            "{\"refund\":" + SUCCEEDED_REFUND + ",\"payment\":" + PAYMENT_AFTER_REFUND + "}";

    /** POST /payments/cancel 202: sent, outcome not known yet. */
    public static final String PENDING =
            """
            {"refund":{"refund_id":"rf_obMJ7hvl6Dqha1SSQKCiiMQsmm","merchant_uid":"order-1004",\
            "imp_uid":"imp_order-1004","status":"UNKNOWN","source":"api","amount":4000,"reason":"파손",\
            "attempts":[{"number":1,"sent_at":"2026-11-27T22:50:35.671Z","outcome":"unknown"}],\
            "requested_by":"merchant-backoffice","created_at":"2026-11-27T22:50:35.671Z",\
            "updated_at":"2026-11-27T22:50:36.500Z"},\
            "payment":{"merchant_uid":"order-1004","imp_uid":"imp_order-1004","pay_method":"trans",\
            "paid_amount":12000,"cancel_amount":0,"cancelable_amount":12000,"status":null,\
            "pending_refund_id":"rf_obMJ7hvl6Dqha1SSQKCiiMQsmm"}}""";

    /** GET /payments/{merchant_uid} 200. */
    public static final String PAYMENT =
            "{\"payment\":" + PAYMENT_AFTER_REFUND + ",\"refunds\":[" + SUCCEEDED_REFUND + "]}";

    private AnswerExamples() {}
}
