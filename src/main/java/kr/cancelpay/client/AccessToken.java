package kr.cancelpay.client;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** getToken's answer; {@code now} and {@code expiredAt} are ChaiPort's clock, in UNIX seconds. */
@RegisterForReflection
record AccessToken(@JsonProperty("access_token") String accessToken,
        @JsonProperty("now") long now,
        @JsonProperty("expired_at") long expiredAt) {

    @Override
    public String toString() {
        return "AccessToken[expired_at=" + expiredAt + "]";
    }
}
