package kr.cancelpay.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management interface (health and metrics) on a port the tests know, in both test modes.
 *
 * <p>Why not {@code @TestHTTPResource(management = true)}: it reads the port Quarkus registers when
 * it binds a random {@code quarkus.management.test-port} in-process, but a
 * {@code @QuarkusIntegrationTest} learns only the HTTP port of the packaged jar (from its start-up
 * log), so there the annotation points at the default 9001, where nothing listens (checked with
 * Quarkus 3.33.2). A port chosen here is handed to the application as configuration instead: as
 * {@code quarkus.management.test-port} in-process and as {@code quarkus.management.port} to the
 * packaged jar, where the test launch mode does not apply.
 */
public class ManagementInterfaceResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectManagementInterface {}

    /** Where health and metrics are served. */
    public record ManagementInterface(int port) {

        /**
         * A request to the management port (rest-assured's base URI, another port than the API's).
         */
        public RequestSpecification given() {
            return RestAssured.given().port(port);
        }

        /** The Prometheus scrape, as text. */
        public String metrics() {
            return given().get("/q/metrics").then().statusCode(200).extract().asString();
        }

        /** The value of one Prometheus sample, 0 when it is not there yet. */
        public double metric(String nameAndLabelsRegex) {
            Matcher matcher =
                    Pattern.compile("(?m)^" + nameAndLabelsRegex + " ([0-9.eE+-]+)$")
                            .matcher(metrics());
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
        }
    }

    private ManagementInterface management;

    @Override
    public Map<String, String> start() {
        management = new ManagementInterface(freeLoopbackPort());
        String port = String.valueOf(management.port());
        return Map.of("quarkus.management.test-port", port, "quarkus.management.port", port);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                management,
                new TestInjector.AnnotatedAndMatchesType(
                        InjectManagementInterface.class, ManagementInterface.class));
    }

    @Override
    public void stop() {
        // Nothing to stop: the application owns the listener.
    }

    /**
     * A port free right now. The application binds it seconds later; another process taking this
     * one of the ~28,000 ephemeral ports in between is unlikely (the same bet every random-port
     * fake makes).
     */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the management interface", e);
        }
    }
}
