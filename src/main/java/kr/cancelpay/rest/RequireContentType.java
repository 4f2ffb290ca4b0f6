package kr.cancelpay.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request with a body must say what it is. RESTEasy Reactive matches a request without {@code
 * Content-Type} to a {@code @Consumes(APPLICATION_JSON)} method and reads it as JSON; we refuse it
 * instead (415 {@code UNSUPPORTED_MEDIA_TYPE}, through {@link ProblemMapper}), as it already
 * refuses a type the endpoint does not consume, so that a refund is only ever executed from a body
 * its sender declared as JSON.
 */
public class RequireContentType {

    private static final Set<String> WITH_BODY =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    @ServerRequestFilter
    public void require(ContainerRequestContext request) {
        if (WITH_BODY.contains(request.getMethod()) && request.getMediaType() == null) {
            throw new NotSupportedException(
                    "A Content-Type header naming the body's media type is required.");
        }
    }
}
