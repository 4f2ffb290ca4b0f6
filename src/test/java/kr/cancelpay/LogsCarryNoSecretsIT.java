package kr.cancelpay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kr.cancelpay.testsupport.ChaiPortSandboxResource;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test (its own failsafe execution): reads every log line the test run
 * produced — the in-process tests' log file (DEBUG for kr.cancelpay), and the surefire/failsafe
 * reports, which hold the console output of the in-process application and of the packaged
 * application the *IT classes ran — and fails on any secret: the imp_secret, a ChaiPort access
 * token (40 hex characters), a JWT, or a full refund account number used by the tests.
 */
class LogsCarryNoSecretsIT {

    private static final List<Pattern> SECRETS =
            List.of(
                    Pattern.compile(Pattern.quote(ChaiPortSandboxResource.IMP_SECRET)),
                    Pattern.compile("(?<![0-9a-fA-F])[0-9a-f]{40}(?![0-9a-fA-F])"),
                    Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\."),
                    Pattern.compile("12345678901234"));

    private static boolean holdsLogLines(Path file) {
        String name = file.getFileName().toString();
        String folder = file.getParent().getFileName().toString();
        return folder.equals("test-logs")
                || (folder.endsWith("-reports")
                        && (name.endsWith(".xml") || name.endsWith("-output.txt")));
    }

    /**
     * Not the application's output: the reports' record of the test JVM's system properties, and
     * the Quarkus test launcher echoing the command line that starts the packaged application with
     * the test credentials as -D options (production passes them as environment variables).
     */
    private static boolean isTestHarness(String line) {
        String trimmed = line.trim();
        return trimmed.startsWith("<property name=") || trimmed.startsWith("Executing \"");
    }

    @Test
    void noLogLineOfTheTestRunCarriesASecret() throws IOException {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("target"), 2)) {
            files.filter(Files::isRegularFile)
                    .filter(LogsCarryNoSecretsIT::holdsLogLines)
                    .forEach(logs::add);
        }
        assertTrue(
                logs.stream().anyMatch(file -> file.toString().contains("test-logs")),
                "the in-process tests wrote no log file: " + logs);
        assertTrue(
                logs.stream()
                        .anyMatch(file -> file.getFileName().toString().matches("TEST-.*IT\\.xml")),
                "no report of the packaged application's runs: " + logs);

        long lines = 0;
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (isTestHarness(line)) {
                    continue;
                }
                lines++;
                for (Pattern secret : SECRETS) {
                    Matcher matcher = secret.matcher(line);
                    if (matcher.find()) {
                        leaks.add(log + ": " + secret + " in: " + line);
                    }
                }
            }
        }
        assertTrue(lines > 100, "too few log lines to mean anything: " + lines);
        assertFalse(!leaks.isEmpty(), "secrets in the logs:\n" + String.join("\n", leaks));
    }
}
