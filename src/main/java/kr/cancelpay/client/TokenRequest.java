package kr.cancelpay.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
record TokenRequest(
        @JsonProperty("imp_key") String impKey, @JsonProperty("imp_secret") String impSecret) {

    /** Never print the secret, whoever logs this. */
    @Override
    public String toString() {
        return "TokenRequest[imp_key=" + impKey + "]";
    }
}
