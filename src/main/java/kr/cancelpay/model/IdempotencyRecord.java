package kr.cancelpay.model;

import java.time.Instant;

/**
 * One {@code Idempotency-Key} of one caller ({@code idempotency_keys} collection). It is reserved
 * (inserted) before anything else happens for the request, points at the refund the request
 * creates, and once the request has finished holds its answer for replays.
 *
 * @param id the scoped key: a hash of the caller's scope and the key, so callers cannot collide
 * @param fingerprint a hash of the request's meaning; the same key with another one is refused
 * @param answer the first answer, once the request finished; null while it runs
 * @param leaseUntil while running, after this the request is presumed dead (crash) and the key may
 *     be looked into by a retry
 */
public record IdempotencyRecord(
        String id,
        String scope,
        String key,
        String fingerprint,
        String refundId,
        StoredAnswer answer,
        Instant createdAt,
        Instant expiresAt,
        Instant leaseUntil) {

    public boolean finished() {
        return answer != null;
    }

    /** An HTTP answer as first given: its status and its JSON body. */
    public record StoredAnswer(int status, String body) {}
}
