package kr.cancelpay.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Set;
import kr.cancelpay.config.CancelPayConfig;

/**
 * The refund page's switch ({@code cancelpay.ui.enabled}). The page is static ({@code
 * META-INF/resources}: {@code /}, {@code /index.html} and {@code /refund-page/*}), which Quarkus
 * serves from the classpath whatever the configuration says; this route runs before it. Off, the
 * page's paths answer exactly what an unknown path answers (404 {@code NOT_FOUND}), so a production
 * deployment neither serves nor reveals it. On, they carry a Content-Security-Policy that lets the
 * page load and call nothing but this origin, so an injected script could not send a token
 * anywhere, and the browser proves the page sends nothing elsewhere.
 *
 * <p>The page itself is public (it holds no data); every API call it makes carries the bearer token
 * its user typed in, checked like any other caller's.
 */
@ApplicationScoped
public class RefundPage {

    /** Before everything else, the body reader included. */
    static final int ORDER = RequestBodyLimit.ORDER - 1;

    /** Where the page's scripts and styles live; the page itself is {@code /index.html}. */
    public static final String ASSETS = "/refund-page/";

    private static final Set<String> ENTRIES = Set.of("/", "/index.html");

    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                    + " connect-src 'self'; form-action 'none'; base-uri 'none';"
                    + " frame-ancestors 'none'";

    private final boolean enabled;
    private final ObjectMapper json;

    RefundPage(CancelPayConfig config, ObjectMapper json) {
        this.enabled = config.cancelpay().ui().enabled();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(enabled ? RefundPage::secured : this::hidden);
    }

    /** Whether the static handler would answer {@code path} with a file of the page. */
    static boolean isPagePath(String path) {
        return ENTRIES.contains(path) || path.startsWith(ASSETS);
    }

    private static void secured(RoutingContext context) {
        if (isPagePath(context.normalizedPath())) {
            context.response()
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    // A new version of the page is picked up at the next load.
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        context.next();
    }

    private void hidden(RoutingContext context) {
        if (!isPagePath(context.normalizedPath())) {
            context.next();
            return;
        }
        try {
            context.response()
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                    .end(json.writeValueAsString(notFound()));
        } catch (JsonProcessingException e) {
            context.fail(404);
        }
    }

    /** The body RESTEasy's 404 for an unknown path gets from {@link ProblemMapper}. */
    private static Map<String, Object> notFound() {
        return ProblemMapper.body(
                404,
                "NOT_FOUND",
                "Not Found",
                ProblemMapper.frameworkDetail(Response.Status.NOT_FOUND),
                Map.of());
    }
}
