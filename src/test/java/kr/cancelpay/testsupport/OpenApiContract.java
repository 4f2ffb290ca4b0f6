package kr.cancelpay.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.RestAssured;
import io.restassured.authentication.PreemptiveOAuth2HeaderScheme;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The OpenAPI document is the contract: every rest-assured exchange of the suite (the @QuarkusTest
 * classes and the *IT classes against the packaged jar) is checked against the service's own {@code
 * /q/openapi}. Auto-registered for every test class (META-INF/services plus
 * junit-platform.properties), it installs one global rest-assured filter (per class loader: see
 * beforeEach).
 *
 * <p>The rules fit a suite full of deliberately bad requests: every response is validated (its
 * status documented for the operation, its content type documented, its body matching the schema);
 * a request only when the service accepted it (2xx), since a refused one may be invalid on purpose.
 * Exchanges the document cannot describe are left alone: the management port (health, metrics),
 * paths that are not in the document (/dev/token, unknown paths of 404 tests) and methods a path
 * does not have (405 tests; an operation that does not exist has no responses to document).
 * java.net.http and raw-socket tests are out of its reach.
 */
public final class OpenApiContract implements BeforeEachCallback {

    /** Findings that mean "not an operation of this document", not "the document is wrong". */
    private static final Set<String> NOT_AN_OPERATION =
            Set.of(
                    "validation.request.path.missing",
                    "validation.request.operation.notAllowed",
                    "validation.response.path.missing",
                    "validation.response.operation.notAllowed");

    @Override
    public void beforeEach(ExtensionContext context) throws ReflectiveOperationException {
        // JUnit loads this extension with its own class loader; a @QuarkusTest's class (and the
        // RestAssured it calls) lives in Quarkus' class loader. The filter is installed in the
        // test's class loader, so that it is the RestAssured the test uses that carries it.
        ClassLoader testLoader = context.getRequiredTestClass().getClassLoader();
        Class.forName(ContractFilter.class.getName(), true, testLoader)
                .getMethod("install")
                .invoke(null);
    }

    public static final class ContractFilter implements Filter {

        private static final ContractFilter INSTANCE = new ContractFilter();
        private static boolean installed;

        /**
         * Once per class loader; each test class may run another application (profile, packaged
         * jar).
         */
        public static synchronized void install() {
            if (!installed) {
                RestAssured.filters(INSTANCE);
                installed = true;
            }
            // Fetched again on the test's first exchange, parsed again only if it changed.
            INSTANCE.documentStale = true;
        }

        volatile boolean documentStale = true;
        private String document;
        private OpenApiInteractionValidator validator;

        @Override
        public Response filter(
                FilterableRequestSpecification request,
                FilterableResponseSpecification responseSpec,
                FilterContext context) {
            if (request.getAuthenticationScheme() instanceof PreemptiveOAuth2HeaderScheme bearer) {
                // rest-assured adds this scheme's header after the filters: sent as a header
                // instead,
                // the same request, but one the validator sees (the document's security
                // requirement).
                request.auth().none();
                request.header("Authorization", "Bearer " + bearer.getAccessToken());
            }
            Response response = context.next(request, responseSpec);
            if (request.getPort() != RestAssured.port) {
                return response; // the management port: health and metrics are not part of the
                // API's document
            }
            OpenApiInteractionValidator current = validator(request);
            Request exchange = withFormBody(RestAssuredRequest.of(request), request);
            ValidationReport responseReport =
                    current.validateResponse(
                            exchange.getPath(),
                            exchange.getMethod(),
                            RestAssuredResponse.of(response));
            if (notAnOperation(responseReport)) {
                return response;
            }
            ValidationReport report = responseReport;
            if (response.getStatusCode() / 100 == 2) {
                report = current.validateRequest(exchange).merge(responseReport);
            }
            List<ValidationReport.Message> errors =
                    report.getMessages().stream()
                            .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                            // Only cancelpay.auth.enabled=false (behind an authenticating gateway,
                            // AuthDisabledTest)
                            // accepts a request without a token: the gateway requires the token the
                            // document names.
                            .filter(
                                    message ->
                                            !message.getKey()
                                                    .equals("validation.request.security.missing"))
                            .toList();
            if (!errors.isEmpty()) {
                throw new AssertionError(
                        "The exchange "
                                + exchange.getMethod()
                                + " "
                                + exchange.getPath()
                                + " -> "
                                + response.getStatusCode()
                                + " ("
                                + response.getContentType()
                                + ") breaks the OpenAPI document:\n"
                                + errors.stream()
                                        .map(
                                                message ->
                                                        "  ["
                                                                + message.getKey()
                                                                + "] "
                                                                + message.getMessage())
                                        .collect(Collectors.joining("\n"))
                                + "\nResponse body: "
                                + response.asString());
            }
            return response;
        }

        /**
         * rest-assured keeps form parameters apart from the body: the validator reads them as the
         * body they are.
         */
        private static Request withFormBody(
                Request exchange, FilterableRequestSpecification request) {
            if (exchange.getRequestBody().isPresent() || request.getFormParams().isEmpty()) {
                return exchange;
            }
            String form =
                    request.getFormParams().entrySet().stream()
                            .map(
                                    param ->
                                            encode(param.getKey())
                                                    + "="
                                                    + encode(String.valueOf(param.getValue())))
                            .collect(Collectors.joining("&"));
            SimpleRequest.Builder copy =
                    new SimpleRequest.Builder(exchange.getMethod(), exchange.getPath())
                            .withBody(form);
            exchange.getHeaders()
                    .forEach((name, values) -> copy.withHeader(name, List.copyOf(values)));
            exchange.getQueryParameters()
                    .forEach(
                            name ->
                                    copy.withQueryParam(
                                            name,
                                            List.copyOf(exchange.getQueryParameterValues(name))));
            return copy.build();
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }

        private static boolean notAnOperation(ValidationReport report) {
            return report.getMessages().stream()
                    .anyMatch(message -> NOT_AN_OPERATION.contains(message.getKey()));
        }

        private synchronized OpenApiInteractionValidator validator(
                FilterableRequestSpecification request) {
            if (documentStale || validator == null) {
                String fresh = fetchDocument(request);
                if (!fresh.equals(document)) {
                    validator =
                            OpenApiInteractionValidator.createForInlineApiSpecification(fresh)
                                    .build();
                    document = fresh;
                }
                documentStale = false;
            }
            return validator;
        }

        /** Fetched outside rest-assured, so that fetching it is not itself filtered. */
        private static String fetchDocument(FilterableRequestSpecification request) {
            URI uri = URI.create(request.getURI()).resolve("/q/openapi?format=json");
            try {
                HttpResponse<String> answer =
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(uri)
                                                .timeout(Duration.ofSeconds(30))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new AssertionError("GET " + uri + " answered " + answer.statusCode());
                }
                return answer.body();
            } catch (IOException e) {
                throw new AssertionError("GET " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("GET " + uri + " interrupted", e);
            }
        }
    }
}
