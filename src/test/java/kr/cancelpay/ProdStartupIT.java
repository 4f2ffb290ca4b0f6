package kr.cancelpay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application in the prod profile starts nothing embedded and has no default key: it
 * must refuse to start, saying what is missing, rather than run half-configured.
 */
class ProdStartupIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @Test
    void withoutAnyConfigurationItRefusesToStartAndNamesWhatIsMissing() throws Exception {
        Run run = start(Map.of());
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("chaiport.imp-key"), run.output);
    }

    @Test
    void withoutAVerificationKeyItRefusesToStart() throws Exception {
        Run run =
                start(
                        Map.of(
                                "CHAIPORT_IMP_KEY",
                                "k",
                                "CHAIPORT_IMP_SECRET",
                                "s",
                                "QUARKUS_MONGODB_CONNECTION_STRING",
                                "mongodb://127.0.0.1:1",
                                "QUARKUS_REST_CLIENT_CHAIPORT_URL",
                                "http://127.0.0.1:1"));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("cancelpay cannot start"), run.output);
        assertTrue(run.output.contains("mp.jwt.verify.publickey.location"), run.output);
        assertTrue(run.output.contains("mp.jwt.verify.issuer"), run.output);
        assertTrue(run.output.contains("mp.jwt.verify.audiences"), run.output);
    }

    @Test
    void withoutAnAudienceItRefusesToStart() throws Exception {
        Run run =
                start(
                        Map.of(
                                "CHAIPORT_IMP_KEY",
                                "k",
                                "CHAIPORT_IMP_SECRET",
                                "s",
                                "QUARKUS_MONGODB_CONNECTION_STRING",
                                "mongodb://127.0.0.1:1",
                                "QUARKUS_REST_CLIENT_CHAIPORT_URL",
                                "http://127.0.0.1:1",
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                "src/main/dev/jwt/publicKey.pem",
                                "MP_JWT_VERIFY_ISSUER",
                                "https://auth.example"));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("cancelpay cannot start"), run.output);
        assertTrue(
                run.output.contains("mp.jwt.verify.audiences (env MP_JWT_VERIFY_AUDIENCES)"),
                run.output);
        assertFalse(
                run.output.contains("mp.jwt.verify.issuer (env"),
                "only the audience is missing: " + run.output);
    }

    @Test
    void withoutMongoDbAndChaiPortSettingsItRefusesToStart() throws Exception {
        Run run =
                start(
                        Map.of(
                                "CHAIPORT_IMP_KEY",
                                "k",
                                "CHAIPORT_IMP_SECRET",
                                "s",
                                "CANCELPAY_AUTH_ENABLED",
                                "false"));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("quarkus.mongodb.connection-string"), run.output);
        assertTrue(run.output.contains("quarkus.rest-client.chaiport.url"), run.output);
        assertTrue(
                run.output.contains("cancelpay.auth.enabled=false"),
                "the auth warning comes first: " + run.output);
    }

    @Test
    void aLockLeaseShorterThanARequestCanRunRefusesToStart() throws Exception {
        Run run =
                start(
                        Map.of(
                                "CHAIPORT_IMP_KEY",
                                "k",
                                "CHAIPORT_IMP_SECRET",
                                "s",
                                "CANCELPAY_AUTH_ENABLED",
                                "false",
                                "QUARKUS_MONGODB_CONNECTION_STRING",
                                "mongodb://127.0.0.1:1",
                                "QUARKUS_REST_CLIENT_CHAIPORT_URL",
                                "http://127.0.0.1:1",
                                "CANCELPAY_LOCK_LEASE",
                                "PT1M"));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("cancelpay.lock-lease PT1M is shorter than"), run.output);
    }

    private record Run(int exitCode, String output) {}

    /**
     * Runs the jar with only {@code env} (plus PATH/HOME/JAVA_HOME) and random ports; it fails
     * fast.
     */
    private static Run start(Map<String, String> env) throws IOException, InterruptedException {
        assertTrue(Files.exists(JAR), "package the application first: " + JAR);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dquarkus.http.port=0",
                                "-Dquarkus.management.port=0",
                                "-jar",
                                JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(key -> !List.of("PATH", "HOME", "JAVA_HOME", "LANG").contains(key));
        environment.putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "the application did not stop by itself: it started without the required settings");
        }
        return new Run(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
