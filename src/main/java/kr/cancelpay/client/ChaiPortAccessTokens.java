package kr.cancelpay.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import kr.cancelpay.config.CancelPayConfig;
import org.jboss.logging.Logger;

/**
 * Caches the ChaiPort access token and makes concurrent callers share one in-flight getToken.
 *
 * <p>The local expiry is {@code localNow + (expired_at - now)}: ChaiPort's clock and ours differ,
 * the token's lifetime does not. The token is dropped {@code chaiport.token-refresh-margin} before
 * that, so it cannot expire between our check and ChaiPort's.
 */
@ApplicationScoped
class ChaiPortAccessTokens {

    private static final Logger LOG = Logger.getLogger(ChaiPortAccessTokens.class);

    private record CachedToken(String value, Instant refreshAt) {}

    private final ChaiPortClient client;
    private final Duration refreshMargin;
    private final Clock clock = Clock.systemUTC();

    private CachedToken cached;
    private CompletableFuture<CachedToken> inFlight;

    ChaiPortAccessTokens(ChaiPortClient client, CancelPayConfig config) {
        this.client = client;
        this.refreshMargin = config.chaiport().tokenRefreshMargin();
    }

    Uni<String> token() {
        CachedToken current = currentToken();
        if (current != null) {
            return Uni.createFrom().item(current.value());
        }
        return Uni.createFrom().completionStage(this::sharedFetch).map(CachedToken::value);
    }

    /** Forgets {@code token} after ChaiPort refused it, unless a newer one already replaced it. */
    synchronized void invalidate(String token) {
        if (cached != null && cached.value().equals(token)) {
            cached = null;
        }
    }

    private synchronized CachedToken currentToken() {
        return cached != null && clock.instant().isBefore(cached.refreshAt()) ? cached : null;
    }

    // Short critical sections only: nothing in here blocks, the fetch itself runs asynchronously.
    private synchronized CompletableFuture<CachedToken> sharedFetch() {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<CachedToken> fetch = new CompletableFuture<>();
        inFlight = fetch;
        Instant askedAt = clock.instant();
        client.requestToken()
                .subscribe()
                .with(
                        token -> fetch.complete(store(fetch, token, askedAt)),
                        failure -> {
                            finish(fetch);
                            fetch.completeExceptionally(failure);
                        });
        return fetch;
    }

    private synchronized CachedToken store(
            CompletableFuture<CachedToken> fetch, AccessToken token, Instant askedAt) {
        Duration lifetime = token.lifetime();
        finish(fetch);
        if (lifetime == null) {
            // Without now/expired_at its expiry is unknown: it serves the callers that waited for
            // this
            // fetch (a 401 on the way is refreshed as usual) and is not kept for later ones.
            LOG.warn(
                    "ChaiPort's token answer has no now/expired_at; the token is used once, not cached");
            return new CachedToken(token.accessToken(), askedAt);
        }
        Instant refreshAt = askedAt.plus(lifetime).minus(refreshMargin);
        CachedToken fresh = new CachedToken(token.accessToken(), refreshAt);
        cached = fresh;
        LOG.debugf("ChaiPort access token obtained, valid for %s", lifetime);
        return fresh;
    }

    private synchronized void finish(CompletableFuture<CachedToken> fetch) {
        if (inFlight == fetch) {
            inFlight = null;
        }
    }
}
