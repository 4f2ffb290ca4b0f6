package kr.cancelpay.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;

/**
 * getToken's answer; {@code now} and {@code expiredAt} are ChaiPort's clock, in UNIX seconds. Each
 * may be absent (null): then the token's lifetime is unknown.
 */
@RegisterForReflection
record AccessToken(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("now") Long now,
        @JsonProperty("expired_at") Long expiredAt) {

    /** How long the token lives by ChaiPort's clock; null when the answer does not say. */
    Duration lifetime() {
        return now == null || expiredAt == null
                ? null
                : Duration.ofSeconds(Math.max(0, expiredAt - now));
    }

    @Override
    public String toString() {
        return "AccessToken[expired_at=" + expiredAt + "]";
    }
}
