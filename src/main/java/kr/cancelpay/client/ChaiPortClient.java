package kr.cancelpay.client;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RateLimit;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.faulttolerance.api.RateLimitType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import kr.cancelpay.config.CancelPayConfig;
import kr.cancelpay.observability.CancelPayMetrics;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The only door to {@link ChaiPortRestClient}. It owns the fault-tolerance policy of every PG call
 * (values overridable with {@code
 * quarkus.fault-tolerance."kr.cancelpay.client.ChaiPortClient/<method>".*}) and unwraps ChaiPort's
 * envelope, so that {@code code != 0} becomes {@link ChaiPortException.Rejected}.
 *
 * <p>Only idempotent calls are retried. A cancel moves money: it gets a timeout and a breaker,
 * never a blind retry; {@link ChaiPortGateway} and the refund service decide what happens after a
 * failure. Answers from a live ChaiPort (401, 404, 4xx, business refusals) neither trip a breaker
 * nor retry.
 */
@ApplicationScoped
public class ChaiPortClient {

    public static final String TOKEN_BREAKER = "chaiport-get-token";
    public static final String CANCEL_BREAKER = "chaiport-cancel";
    public static final String LOOKUP_BREAKER = "chaiport-get-payment";

    /**
     * The webhook's lookups: their own breaker, so a flood of them cannot open the one refunds use.
     */
    public static final String WEBHOOK_LOOKUP_BREAKER = "chaiport-webhook-get-payment";

    /** The policies' defaults, in one place for the annotations and for {@code RequestBudget}. */
    public static final long TOKEN_TIMEOUT_MS = 3000;

    public static final long CANCEL_TIMEOUT_MS = 10000;
    public static final long LOOKUP_TIMEOUT_MS = 3000;
    public static final int RETRIES = 2;
    public static final long RETRY_DELAY_MS = 200;
    public static final long RETRY_JITTER_MS = 100;
    public static final long RETRY_MAX_DELAY_MS = 2000;

    /**
     * Webhook-driven lookups per rolling second, and at most this many at once (plus as many
     * waiting).
     */
    public static final int WEBHOOK_LOOKUPS_PER_SECOND = 20;

    public static final int WEBHOOK_LOOKUPS_CONCURRENT = 10;

    private final ChaiPortRestClient restClient;
    private final CancelPayConfig.ChaiPort credentials;
    private final CancelPayMetrics metrics;

    ChaiPortClient(
            @RestClient ChaiPortRestClient restClient,
            CancelPayConfig config,
            CancelPayMetrics metrics) {
        this.restClient = restClient;
        this.credentials = config.chaiport();
        this.metrics = metrics;
    }

    @Timeout(value = TOKEN_TIMEOUT_MS, unit = ChronoUnit.MILLIS)
    @Retry(
            maxRetries = RETRIES,
            delay = RETRY_DELAY_MS,
            jitter = RETRY_JITTER_MS,
            abortOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.ClientError.class
            })
    @ExponentialBackoff(factor = 2, maxDelay = RETRY_MAX_DELAY_MS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.ClientError.class
            })
    @CircuitBreakerName(TOKEN_BREAKER)
    Uni<AccessToken> requestToken() {
        metrics.tokenFetched();
        return metrics.timeChaiPortCall(
                        "getToken",
                        () ->
                                restClient.getToken(
                                        new TokenRequest(
                                                credentials.impKey(), credentials.impSecret())))
                .map(ChaiPortClient::unwrap)
                .invoke(
                        token -> {
                            if (token.accessToken() == null || token.accessToken().isBlank()) {
                                throw new ChaiPortException.IncompleteAnswer("access_token");
                            }
                        });
    }

    @Timeout(value = CANCEL_TIMEOUT_MS, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.ClientError.class
            })
    @CircuitBreakerName(CANCEL_BREAKER)
    Uni<PgPayment> cancelPayment(String accessToken, CancelPaymentRequest request) {
        return metrics.timeChaiPortCall(
                        "cancel", () -> restClient.cancelPayment(accessToken, request))
                .map(ChaiPortClient::unwrap);
    }

    @Timeout(value = LOOKUP_TIMEOUT_MS, unit = ChronoUnit.MILLIS)
    @Retry(
            maxRetries = RETRIES,
            delay = RETRY_DELAY_MS,
            jitter = RETRY_JITTER_MS,
            abortOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.NotFound.class,
                ChaiPortException.ClientError.class
            })
    @ExponentialBackoff(factor = 2, maxDelay = RETRY_MAX_DELAY_MS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.NotFound.class,
                ChaiPortException.ClientError.class
            })
    @CircuitBreakerName(LOOKUP_BREAKER)
    Uni<PgPayment> getPayment(String accessToken, String impUid) {
        return metrics.timeChaiPortCall(
                        "getPayment", () -> restClient.getPayment(accessToken, impUid))
                .map(ChaiPortClient::unwrap);
    }

    /**
     * The webhook's own lookup ({@code GET /payments/{imp_uid}}), open to anyone who can post a
     * notification, so bounded: {@code @RateLimit} and {@code @Bulkhead} cap how often and how many
     * at once (beyond them {@link io.smallrye.faulttolerance.api.RateLimitException} or {@link
     * org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException}: 429 to the sender), so
     * a flood cannot use up ChaiPort's connections or quota that refunds need; and a breaker of its
     * own, so failing webhook lookups never open {@link #LOOKUP_BREAKER}. No retry: ChaiPort
     * resends a notification that was not acknowledged. Being limited is not a ChaiPort failure: it
     * does not count for the breaker.
     */
    @Timeout(value = LOOKUP_TIMEOUT_MS, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = {
                ChaiPortException.Unauthorized.class,
                ChaiPortException.Rejected.class,
                ChaiPortException.NotFound.class,
                ChaiPortException.ClientError.class,
                RateLimitException.class,
                BulkheadException.class
            })
    @CircuitBreakerName(WEBHOOK_LOOKUP_BREAKER)
    @RateLimit(
            value = WEBHOOK_LOOKUPS_PER_SECOND,
            window = 1,
            windowUnit = ChronoUnit.SECONDS,
            type = RateLimitType.ROLLING)
    @Bulkhead(value = WEBHOOK_LOOKUPS_CONCURRENT, waitingTaskQueue = WEBHOOK_LOOKUPS_CONCURRENT)
    Uni<PgPayment> getPaymentForWebhook(String accessToken, String impUid) {
        return metrics.timeChaiPortCall(
                        "getPayment", () -> restClient.getPayment(accessToken, impUid))
                .map(ChaiPortClient::unwrap);
    }

    /**
     * ChaiPort's answer without its envelope; an envelope that lacks {@code code} or {@code
     * response} is a PG fault.
     */
    private static <T> T unwrap(ChaiPortEnvelope<T> envelope) {
        if (envelope == null || envelope.code() == null) {
            throw new ChaiPortException.IncompleteAnswer("code");
        }
        if (envelope.code() != 0) {
            throw new ChaiPortException.Rejected(envelope.code(), envelope.message());
        }
        if (envelope.response() == null) {
            // code 0 without a body is not an answer we can act on: treat it like a PG fault.
            throw new ChaiPortException.IncompleteAnswer("response");
        }
        return envelope.response();
    }
}
