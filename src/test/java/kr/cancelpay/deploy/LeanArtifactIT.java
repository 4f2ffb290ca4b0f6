package kr.cancelpay.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production artifact carries no dev tools: the embedded MongoDB (mongo-java-server and its H2
 * backend) and the JWT-signing library serve dev mode and the tests only, and the prod build drops
 * them ({@code %prod.quarkus.class-loading.removed-artifacts} in application.properties). The dev
 * beans ({@code kr.cancelpay.dev}: embedded MongoDB, sandbox start-up, {@code /dev/token}) are not
 * wired into it either.
 *
 * <p>Plain JUnit, no Quarkus: it runs in the integration-test phase and reads every jar of {@code
 * target/quarkus-app}, by file name and by content (a renamed or repackaged copy is caught too).
 * {@code -Dcancelpay.lean.dir=target/native-sources} checks the native-image bundle instead ({@code
 * .ci/run} does, after {@code ./mvnw package -Dnative -Dquarkus.native.sources-only=true}).
 */
class LeanArtifactIT {

    /**
     * A dev tool, recognised by its jar name ({@code group.artifact-version.jar}) or its packages.
     */
    record DevTool(String what, String jarNamePrefix, String packagePrefix) {

        boolean isJar(Path jar) {
            // native-sources names the jars Quarkus transformed "modified-<name>".
            return jar.getFileName()
                    .toString()
                    .replaceFirst("^modified-", "")
                    .startsWith(jarNamePrefix);
        }

        boolean holds(ZipEntry entry) {
            return packagePrefix != null && entry.getName().startsWith(packagePrefix);
        }
    }

    static final List<DevTool> DEV_TOOLS =
            List.of(
                    new DevTool(
                            "mongo-java-server (embedded MongoDB)",
                            "de.bwaldvogel.mongo-java-server",
                            "de/bwaldvogel/"),
                    new DevTool(
                            "H2 (mongo-java-server's file backend)",
                            "com.h2database.h2-",
                            "org/h2/"),
                    new DevTool(
                            "smallrye-jwt-build (token signing)",
                            "io.smallrye.smallrye-jwt-build-",
                            "io/smallrye/jwt/build/"),
                    new DevTool(
                            "quarkus-smallrye-jwt-build (token-signing extension)",
                            "io.quarkus.quarkus-smallrye-jwt-build-",
                            null));

    /** What ArC and Quarkus REST generate for a bean, an observer or a resource method. */
    static final Pattern WIRED_DEV_CLASS =
            Pattern.compile(
                    "kr/cancelpay/dev/.*(_Bean|_Observer_|_ClientProxy|_Subclass|\\$quarkusrestinvoker\\$).*\\.class");

    private static Path bundle;
    private static List<Path> jars;

    @BeforeAll
    static void listJars() throws IOException {
        bundle = Path.of(System.getProperty("cancelpay.lean.dir", "target/quarkus-app"));
        assertTrue(
                Files.isDirectory(bundle),
                bundle.toAbsolutePath() + " is missing: ./mvnw package writes it");
        try (Stream<Path> files = Files.walk(bundle)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        // Not a vacuous pass: this is a real bundle, with the libraries production does need.
        assertTrue(
                jars.stream()
                        .anyMatch(
                                j ->
                                        j.getFileName()
                                                .toString()
                                                .contains("org.mongodb.mongodb-driver")),
                "no MongoDB driver among the "
                        + jars.size()
                        + " jars of "
                        + bundle
                        + ": not an application bundle");
        Pattern jwtVerification = Pattern.compile("io\\.smallrye\\.smallrye-jwt-\\d");
        assertTrue(
                jars.stream()
                        .anyMatch(j -> jwtVerification.matcher(j.getFileName().toString()).find()),
                "no smallrye-jwt (token verification) in "
                        + bundle
                        + ": not an application bundle");
    }

    @Test
    void noDevToolJarIsPackaged() {
        List<String> found = new ArrayList<>();
        for (Path jar : jars) {
            for (DevTool tool : DEV_TOOLS) {
                if (tool.isJar(jar)) {
                    found.add(bundle.relativize(jar) + " is " + tool.what());
                }
            }
        }
        assertTrue(
                found.isEmpty(),
                "dev tools in the production artifact "
                        + bundle
                        + " (%prod.quarkus.class-loading.removed-artifacts in application.properties):\n  "
                        + String.join("\n  ", found));
    }

    @Test
    void noPackagedJarCarriesDevToolClasses() {
        List<String> found = new ArrayList<>();
        for (Path jar : jars) {
            List<? extends ZipEntry> entries = entries(jar);
            for (DevTool tool : DEV_TOOLS) {
                List<String> held =
                        entries.stream().filter(tool::holds).map(ZipEntry::getName).toList();
                if (!held.isEmpty()) {
                    found.add(
                            bundle.relativize(jar)
                                    + " holds "
                                    + held.size()
                                    + " entries of "
                                    + tool.what()
                                    + ", e.g. "
                                    + held.get(0));
                }
            }
        }
        assertTrue(
                found.isEmpty(),
                "dev-tool classes in the production artifact "
                        + bundle
                        + ":\n  "
                        + String.join("\n  ", found));
    }

    @Test
    void devBeansAreNotWiredIntoTheProductionBuild() {
        List<String> found = new ArrayList<>();
        for (Path jar : jars) {
            for (ZipEntry entry : entries(jar)) {
                if (WIRED_DEV_CLASS.matcher(entry.getName()).matches()) {
                    found.add(bundle.relativize(jar) + ": " + entry.getName());
                }
            }
        }
        assertTrue(
                found.isEmpty(),
                "the prod build wires dev-profile code (@IfBuildProfile(\"dev\") missing?):\n  "
                        + String.join("\n  ", found));
    }

    private static List<? extends ZipEntry> entries(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }
}
