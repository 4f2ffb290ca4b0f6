package kr.cancelpay.config;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import kr.cancelpay.client.ChaiPortClient;
import org.eclipse.microprofile.config.Config;

/**
 * How long one refund request can take at worst, from the configured timeouts: each ChaiPort call
 * is every attempt's timeout plus the back-off between them, behind a token fetch of the same kind,
 * twice over when ChaiPort answers 401 (new token, call repeated); each MongoDB operation is {@code
 * cancelpay.store-timeout}. The order's lock lease is renewed before each send, so what it must
 * outlast is the longest stretch between two renewals, not the whole request; a renewal is skipped
 * while what is left of the lease still outlasts that stretch ({@link #leaseStillCovers}).
 */
public record RequestBudget(
        Duration tokenCall, Duration lookupCall, Duration cancelCall, Duration storeOperation) {

    /**
     * MongoDB operations from taking the lock to the first send (lock, read, settle, record,
     * point).
     */
    static final int STORE_OPERATIONS_BEFORE_FIRST_SEND = 9;

    /**
     * MongoDB operations from one send to the next renewal or the release (record, point, unlock).
     */
    static final int STORE_OPERATIONS_PER_SEND = 5;

    static final int SENDS = 2;

    /**
     * The lease must exceed the longest stretch by this factor (clock skew between replicas, GC
     * pauses).
     */
    public static final double LEASE_MARGIN = 1.25;

    /** One ChaiPort call with its own token fetch, and the 401 repeat of both. */
    Duration withToken(Duration call) {
        return tokenCall.plus(call).multipliedBy(2);
    }

    /**
     * Lock, read, settle an earlier refund (a look), learn the pay method (a look), record, point.
     */
    public Duration beforeFirstSend() {
        return withToken(lookupCall)
                .multipliedBy(2)
                .plus(storeOperation.multipliedBy(STORE_OPERATIONS_BEFORE_FIRST_SEND));
    }

    /** One send, the look after it, and the writes that record it. */
    public Duration perSend() {
        return withToken(cancelCall)
                .plus(withToken(lookupCall))
                .plus(storeOperation.multipliedBy(STORE_OPERATIONS_PER_SEND));
    }

    /** What the lease must outlast: the longest stretch between two renewals. */
    public Duration longestStretch() {
        return beforeFirstSend().compareTo(perSend()) >= 0 ? beforeFirstSend() : perSend();
    }

    /** The worst case of one whole request: everything before the first send, and every send. */
    public Duration wholeRequest() {
        return beforeFirstSend().plus(perSend().multipliedBy(SENDS));
    }

    /** What a lease must outlast: the longest stretch, with margin. */
    Duration leaseNeeded() {
        return Duration.ofMillis((long) (longestStretch().toMillis() * LEASE_MARGIN));
    }

    /** Null when {@code lease} outlasts the longest stretch with margin; otherwise why not. */
    public String leaseProblem(Duration lease) {
        Duration needed = leaseNeeded();
        if (lease.compareTo(needed) >= 0) {
            return null;
        }
        return "cancelpay.lock-lease "
                + lease
                + " is shorter than "
                + needed
                + " ("
                + LEASE_MARGIN
                + " x "
                + longestStretch()
                + ", the longest stretch of a refund request between two lease renewals with the configured timeouts)";
    }

    /**
     * Whether a lease held until {@code until} still outlasts, at {@code now} (this replica's
     * clock, the one that computed {@code until}), the longest stretch with the same margin as
     * {@link #leaseProblem}. Then a renewal now would add nothing: no other replica can take the
     * lock over before {@code until} (clock skew is what the margin is for), and what is left
     * covers the stretch to the next renewal as a fresh lease would. {@link LeaseCheck} makes this
     * true right after the lock is taken; it turns false only when the request stalled.
     */
    public boolean leaseStillCovers(Instant until, Instant now) {
        return !now.plus(leaseNeeded()).isAfter(until);
    }

    /** The worst case of a call retried {@code retries} times with exponential back-off. */
    static Duration call(
            Duration timeout, int retries, Duration delay, Duration jitter, Duration maxDelay) {
        Duration total = timeout.multipliedBy(retries + 1L);
        Duration wait = delay;
        for (int retry = 0; retry < retries; retry++) {
            total = total.plus(min(wait, maxDelay)).plus(jitter);
            wait = wait.multipliedBy(2);
        }
        return total;
    }

    /**
     * From the fault-tolerance settings in force (annotation defaults, overridden by
     * configuration).
     */
    public static RequestBudget of(Config config, Duration storeTimeout) {
        return new RequestBudget(
                call(
                        timeout(config, "requestToken", ChaiPortClient.TOKEN_TIMEOUT_MS),
                        retries(config, "requestToken"),
                        retryDelay(config, "requestToken"),
                        retryJitter(config, "requestToken"),
                        Duration.ofMillis(ChaiPortClient.RETRY_MAX_DELAY_MS)),
                call(
                        timeout(config, "getPayment", ChaiPortClient.LOOKUP_TIMEOUT_MS),
                        retries(config, "getPayment"),
                        retryDelay(config, "getPayment"),
                        retryJitter(config, "getPayment"),
                        Duration.ofMillis(ChaiPortClient.RETRY_MAX_DELAY_MS)),
                timeout(config, "cancelPayment", ChaiPortClient.CANCEL_TIMEOUT_MS),
                storeTimeout);
    }

    private static String key(String method, String setting) {
        return "quarkus.fault-tolerance.\""
                + ChaiPortClient.class.getName()
                + "/"
                + method
                + "\"."
                + setting;
    }

    private static Duration timeout(Config config, String method, long defaultMillis) {
        long value =
                config.getOptionalValue(key(method, "timeout.value"), Long.class)
                        .orElse(defaultMillis);
        ChronoUnit unit =
                config.getOptionalValue(key(method, "timeout.unit"), String.class)
                        .map(name -> ChronoUnit.valueOf(name.toUpperCase(java.util.Locale.ROOT)))
                        .orElse(ChronoUnit.MILLIS);
        return Duration.of(value, unit);
    }

    private static int retries(Config config, String method) {
        return config.getOptionalValue(key(method, "retry.max-retries"), Integer.class)
                .orElse(ChaiPortClient.RETRIES);
    }

    private static Duration retryDelay(Config config, String method) {
        return Duration.ofMillis(
                config.getOptionalValue(key(method, "retry.delay"), Long.class)
                        .orElse(ChaiPortClient.RETRY_DELAY_MS));
    }

    private static Duration retryJitter(Config config, String method) {
        return Duration.ofMillis(
                config.getOptionalValue(key(method, "retry.jitter"), Long.class)
                        .orElse(ChaiPortClient.RETRY_JITTER_MS));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
