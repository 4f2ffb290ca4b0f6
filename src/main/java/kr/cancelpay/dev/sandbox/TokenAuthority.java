package kr.cancelpay.dev.sandbox;

/**
 * Issues and checks access tokens the way V1 does: ONE current token per API key, shared by every
 * caller, so many servers of one merchant can ask concurrently without invalidating each other.
 */
final class TokenAuthority {

    static final long LIFETIME_SECONDS = 1800;
    static final long RENEWAL_WINDOW_SECONDS = 60;
    static final long EXTENSION_SECONDS = 300;

    /** A token and its expiry in UNIX seconds on the sandbox clock. */
    record Token(String value, long expiredAt) {}

    private final String impKey;
    private final String impSecret;
    private final SandboxClock clock;
    private Token current;

    TokenAuthority(String impKey, String impSecret, SandboxClock clock) {
        this.impKey = impKey;
        this.impSecret = impSecret;
        this.clock = clock;
    }

    boolean credentialsMatch(String key, String secret) {
        return impKey.equals(key) && impSecret.equals(secret);
    }

    /**
     * New token after expiry; the same token while it is valid; the same token extended by 5
     * minutes when asked within its last minute (so a caller never receives an about-to-die token).
     */
    synchronized Token issue() {
        long now = clock.epochSecond();
        if (current == null || now >= current.expiredAt()) {
            current = new Token(RandomIds.accessToken(), now + LIFETIME_SECONDS);
        } else if (current.expiredAt() - now <= RENEWAL_WINDOW_SECONDS) {
            current = new Token(current.value(), current.expiredAt() + EXTENSION_SECONDS);
        }
        return current;
    }

    /** Accepts {@code <token>} or {@code Bearer <token>}. */
    synchronized boolean isValidAuthorization(String header) {
        if (header == null || current == null) {
            return false;
        }
        String token = header.trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        return current.value().equals(token) && clock.epochSecond() < current.expiredAt();
    }

    /**
     * Forgets the current token: it is rejected from now on and the next issue() makes a new one.
     */
    synchronized void expireAll() {
        current = null;
    }
}
