package kr.cancelpay.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Money must never pass through a double: JSON fractions are read as BigDecimal, so that {@code
 * 1000.00000000000001} is seen as a fraction (not rounded to 1000) and {@code 1e400} as too large
 * (not as Infinity).
 *
 * <p>A body is one JSON value and nothing after it: {@code {...} {...}} or {@code {...}garbage} is
 * a malformed request (400), not the first value with the rest ignored. A proxy or a signature
 * check that reads the whole body must never see another request than the one we execute.
 */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
