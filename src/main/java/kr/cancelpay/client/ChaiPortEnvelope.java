package kr.cancelpay.client;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every ChaiPort answer: {@code code} 0 means success, anything else is explained by {@code
 * message}. {@code code} is boxed: an answer without one is not a success.
 */
@RegisterForReflection
public record ChaiPortEnvelope<T>(Integer code, String message, T response) {}
