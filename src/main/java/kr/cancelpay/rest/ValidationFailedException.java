package kr.cancelpay.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The request body is not a valid refund request; {@link #errors()} names each bad field. */
public class ValidationFailedException extends RuntimeException {

    private final List<FieldError> errors;

    public ValidationFailedException(List<FieldError> errors) {
        super("Invalid refund request", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @RegisterForReflection
    public record FieldError(
            @JsonProperty("field") String field, @JsonProperty("message") String message) {}
}
