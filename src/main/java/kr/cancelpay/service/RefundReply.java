package kr.cancelpay.service;

/**
 * What {@code POST /payments/cancel} answers: a fresh result, or a replay of the first answer to
 * the same {@code Idempotency-Key}.
 */
public sealed interface RefundReply {

    /**
     * The refund's own answer (200 or 202); a problem travels as a {@link RefundProblem} instead.
     */
    record Fresh(RefundResult result, boolean replayed) implements RefundReply {}

    /** The first answer as stored: its status and JSON body (a problem when status >= 400). */
    record Stored(int status, String body) implements RefundReply {}
}
