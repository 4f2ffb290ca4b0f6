package kr.cancelpay.client;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every ChaiPort answer: {@code code} 0 means success, anything else is explained by {@code message}. */
@RegisterForReflection
public record ChaiPortEnvelope<T>(int code, String message, T response) {
}
