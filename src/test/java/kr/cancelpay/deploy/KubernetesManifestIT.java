package kr.cancelpay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Kubernetes manifest that quarkus-kubernetes writes at package time ({@code
 * target/kubernetes/kubernetes.yml}, from the {@code quarkus.kubernetes.*} keys and {@code
 * src/main/kubernetes/kubernetes.yml}): what a cluster needs to run cancelpay safely.
 *
 * <p>Plain JUnit, no Quarkus: it runs in the integration-test phase, after {@code package} wrote
 * the file. {@code -Dcancelpay.manifest=<file>} checks another manifest (e.g. {@code
 * deploy/kubernetes.yml}).
 */
class KubernetesManifestIT {

    private static final String NAME = "cancelpay";
    private static final String SECRET = "cancelpay-secrets";
    private static final String CONFIG_MAP = "cancelpay-config";
    private static final String MANAGEMENT_PORT = "management";
    private static final Set<String> SECRET_KEYS =
            Set.of("QUARKUS_MONGODB_CONNECTION_STRING", "CHAIPORT_IMP_KEY", "CHAIPORT_IMP_SECRET");

    private static Path manifest;
    private static List<JsonNode> documents;
    private static JsonNode deployment;
    private static JsonNode podSpec;
    private static JsonNode container;

    @BeforeAll
    static void load() throws IOException {
        manifest =
                Path.of(
                        System.getProperty(
                                "cancelpay.manifest", "target/kubernetes/kubernetes.yml"));
        assertTrue(
                Files.isRegularFile(manifest),
                manifest.toAbsolutePath()
                        + " is missing: ./mvnw package generates it (quarkus-kubernetes)");
        documents = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Reader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8);
                MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(in)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    documents.add(doc);
                }
            }
        }
        assertFalse(documents.isEmpty(), manifest + " holds no YAML document");
        for (JsonNode doc : documents) {
            assertTrue(
                    doc.path("apiVersion").isTextual()
                            && doc.path("kind").isTextual()
                            && doc.path("metadata").path("name").isTextual(),
                    "every resource needs apiVersion, kind and metadata.name: " + doc);
        }
        deployment =
                resource("Deployment", NAME)
                        .orElseGet(() -> fail("no Deployment named " + NAME + " in " + manifest));
        podSpec = deployment.path("spec").path("template").path("spec");
        JsonNode containers = podSpec.path("containers");
        assertTrue(
                containers.isArray() && containers.size() > 0, "the Deployment has no containers");
        container =
                StreamSupport.stream(containers.spliterator(), false)
                        .filter(c -> NAME.equals(c.path("name").asText()))
                        .findFirst()
                        .orElse(containers.get(0));
    }

    @Test
    void deploymentRunsSeveralReplicasOfTheImage() {
        assertTrue(
                deployment.path("spec").path("replicas").asInt(0) >= 2,
                "at least 2 replicas (the lock and the pending record live in MongoDB, so several are safe)");
        assertFalse(container.path("image").asText("").isBlank(), "the container has no image");
        JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
        JsonNode podLabels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        assertTrue(selector.size() > 0, "the Deployment has no selector");
        selector.fields()
                .forEachRemaining(
                        l ->
                                assertEquals(
                                        l.getValue().asText(),
                                        podLabels.path(l.getKey()).asText(null),
                                        "the Deployment selector does not match its own pod label "
                                                + l.getKey()));
    }

    @Test
    void hasLivenessReadinessAndStartupProbesOnSmallRyeHealth() {
        assertHttpProbe("livenessProbe", "/q/health/live");
        assertHttpProbe("readinessProbe", "/q/health/ready");
        assertHttpProbe("startupProbe", "/q/health/started");
    }

    @Test
    void probesAndMetricsUseTheManagementPortWhichTheServiceDoesNotExpose() throws IOException {
        int management =
                Integer.parseInt(
                        applicationProperties().getProperty("quarkus.management.port", "9000"));
        assertEquals(
                management,
                containerPort(MANAGEMENT_PORT),
                "the container must expose the management port "
                        + management
                        + " as the named port "
                        + MANAGEMENT_PORT);
        // The public port answers 404 on /q/health: a probe there would restart every pod.
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode port = container.path(probe).path("httpGet").path("port");
            assertTrue(
                    port.asInt() == management || MANAGEMENT_PORT.equals(port.asText()),
                    probe + " must use the management port " + management + ", not " + port);
        }
        JsonNode scrape =
                deployment.path("spec").path("template").path("metadata").path("annotations");
        if (scrape.has("prometheus.io/port")) {
            assertEquals(
                    String.valueOf(management),
                    scrape.path("prometheus.io/port").asText(),
                    "prometheus.io/port must be the management port: /q/metrics is served there only");
        }
        JsonNode service =
                resource("Service", NAME).orElseGet(() -> fail("no Service named " + NAME));
        for (JsonNode port : iterable(service.path("spec").path("ports"))) {
            assertFalse(
                    port.path("targetPort").asInt() == management
                            || MANAGEMENT_PORT.equals(port.path("targetPort").asText()),
                    "the Service must carry the API only; health and metrics stay on the pods' management port: "
                            + port);
        }
    }

    @Test
    void mountsNoServiceAccountToken() {
        assertFalse(
                podSpec.path("automountServiceAccountToken").asBoolean(true),
                "the pod must set automountServiceAccountToken: false (cancelpay never calls the Kubernetes API)");
    }

    @Test
    void takesSecretsFromTheSecretAndSettingsFromTheConfigMap() {
        assertTrue(
                referencedSecrets().contains(SECRET),
                "no envFrom.secretRef / env.valueFrom.secretKeyRef to " + SECRET);
        assertTrue(
                referencedConfigMaps().contains(CONFIG_MAP),
                "no envFrom.configMapRef / env.valueFrom.configMapKeyRef to " + CONFIG_MAP);
    }

    @Test
    void bakesNoSecretIntoTheManifest() {
        assertTrue(
                documents.stream().noneMatch(d -> "Secret".equals(d.path("kind").asText())),
                "the generated manifest must not carry a Secret (it would overwrite the real one on apply)");
        for (JsonNode env : iterable(container.path("env"))) {
            if (SECRET_KEYS.contains(env.path("name").asText())) {
                assertTrue(
                        env.path("value").isMissingNode(),
                        env.path("name").asText()
                                + " must come from the Secret, not a literal value");
            }
        }
    }

    @Test
    void runsAsNonRoot() {
        JsonNode pod = podSpec.path("securityContext");
        JsonNode ctr = container.path("securityContext");
        boolean nonRoot =
                ctr.path("runAsNonRoot").isBoolean()
                        ? ctr.path("runAsNonRoot").asBoolean()
                        : pod.path("runAsNonRoot").asBoolean(false);
        assertTrue(nonRoot, "runAsNonRoot must be true (pod or container securityContext)");
        JsonNode user = ctr.has("runAsUser") ? ctr.path("runAsUser") : pod.path("runAsUser");
        assertTrue(user.isMissingNode() || user.asLong() > 0, "runAsUser must not be 0");
        assertFalse(
                ctr.path("allowPrivilegeEscalation").asBoolean(true),
                "the container securityContext must set allowPrivilegeEscalation: false");
        assertFalse(
                ctr.path("privileged").asBoolean(false), "the container must not be privileged");
    }

    @Test
    void aReadOnlyRootFilesystemStillHasAWritableTmp() {
        if (!container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
            return;
        }
        JsonNode tmp =
                StreamSupport.stream(iterable(container.path("volumeMounts")).spliterator(), false)
                        .filter(m -> "/tmp".equals(m.path("mountPath").asText()))
                        .findFirst()
                        .orElseGet(
                                () ->
                                        fail(
                                                "readOnlyRootFilesystem without a volume on /tmp: the JVM and Vert.x write there"));
        assertFalse(tmp.path("readOnly").asBoolean(false), "/tmp must be writable");
        String volume = tmp.path("name").asText();
        assertTrue(
                StreamSupport.stream(iterable(podSpec.path("volumes")).spliterator(), false)
                        .anyMatch(v -> volume.equals(v.path("name").asText())),
                "the /tmp mount names no pod volume");
    }

    @Test
    void hasResourceRequestsAndLimits() {
        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertTrue(
                        resources.path(kind).path(resource).isValueNode()
                                && !resources.path(kind).path(resource).asText().isBlank(),
                        "resources." + kind + "." + resource + " is missing");
            }
        }
        assertTrue(
                cpu(resources.path("requests").path("cpu").asText())
                        <= cpu(resources.path("limits").path("cpu").asText()),
                "cpu request above the limit");
        assertTrue(
                bytes(resources.path("requests").path("memory").asText())
                        <= bytes(resources.path("limits").path("memory").asText()),
                "memory request above the limit");
    }

    @Test
    void givesInFlightRefundsTimeToFinish() throws IOException {
        JsonNode grace = podSpec.path("terminationGracePeriodSeconds");
        assertTrue(
                grace.isNumber(),
                "terminationGracePeriodSeconds is missing (Kubernetes' default is 30 s)");
        Properties app = applicationProperties();
        long needed =
                seconds(app.getProperty("quarkus.shutdown.timeout", "30S"))
                        + (Boolean.parseBoolean(
                                        app.getProperty("quarkus.shutdown.delay-enabled", "false"))
                                ? seconds(app.getProperty("quarkus.shutdown.delay", "0S"))
                                : 0);
        assertTrue(
                grace.asLong() > Math.max(30, needed),
                "terminationGracePeriodSeconds "
                        + grace.asLong()
                        + " must exceed quarkus.shutdown.timeout (+ delay) = "
                        + needed
                        + " s, and 30 s");
    }

    @Test
    void serviceSendsPort80ToTheContainer() {
        JsonNode service =
                resource("Service", NAME).orElseGet(() -> fail("no Service named " + NAME));
        int containerPort = containerPort("http");
        assertTrue(
                StreamSupport.stream(
                                iterable(service.path("spec").path("ports")).spliterator(), false)
                        .anyMatch(
                                p ->
                                        p.path("port").asInt() == 80
                                                && (p.path("targetPort").asInt() == containerPort
                                                        || "http"
                                                                .equals(
                                                                        p.path("targetPort")
                                                                                .asText()))),
                "the Service must expose port 80 → container port " + containerPort);
        JsonNode podLabels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        service.path("spec")
                .path("selector")
                .fields()
                .forEachRemaining(
                        l ->
                                assertEquals(
                                        l.getValue().asText(),
                                        podLabels.path(l.getKey()).asText(null),
                                        "the Service selects no pod of the Deployment: "
                                                + l.getKey()));
    }

    /**
     * deploy/networkpolicy.yml against this manifest: it selects the Deployment's pods and admits
     * the API port and the management port, by their container port names, each from its own
     * namespace.
     */
    @Test
    void theNetworkPolicyKeepsTheManagementPortForMonitoring() throws IOException {
        Path file = Path.of("deploy/networkpolicy.yml");
        assertTrue(Files.isRegularFile(file), file + " is missing");
        JsonNode policy = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        assertEquals("NetworkPolicy", policy.path("kind").asText());
        JsonNode podLabels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = policy.path("spec").path("podSelector").path("matchLabels");
        assertTrue(selector.size() > 0, "the NetworkPolicy selects no pod");
        selector.fields()
                .forEachRemaining(
                        l ->
                                assertEquals(
                                        l.getValue().asText(),
                                        podLabels.path(l.getKey()).asText(null),
                                        "the NetworkPolicy does not select the Deployment's pods: "
                                                + l.getKey()));
        assertTrue(
                StreamSupport.stream(
                                iterable(policy.path("spec").path("policyTypes")).spliterator(),
                                false)
                        .anyMatch(t -> "Ingress".equals(t.asText())),
                "the NetworkPolicy must restrict Ingress");

        Map<String, List<JsonNode>> sourcesByPort = new HashMap<>();
        for (JsonNode rule : iterable(policy.path("spec").path("ingress"))) {
            assertTrue(
                    rule.path("ports").isArray() && rule.path("ports").size() > 0,
                    "every rule names its ports (a rule without ports opens all of them): " + rule);
            assertTrue(
                    rule.path("from").isArray() && rule.path("from").size() > 0,
                    "every rule names its sources (a rule without from admits everybody): " + rule);
            for (JsonNode port : iterable(rule.path("ports"))) {
                String name = port.path("port").asText();
                assertTrue(
                        containerPort(name) > 0,
                        "the NetworkPolicy names a port the container does not have: " + name);
                sourcesByPort.computeIfAbsent(name, k -> new ArrayList<>()).add(rule.path("from"));
            }
        }
        assertEquals(
                Set.of("http", MANAGEMENT_PORT),
                sourcesByPort.keySet(),
                "the API port and the management port only");
        assertFalse(
                sourcesByPort.get("http").equals(sourcesByPort.get(MANAGEMENT_PORT)),
                "whoever reaches the API must not reach health and metrics by the same rule");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Optional<JsonNode> resource(String kind, String name) {
        return documents.stream()
                .filter(
                        d ->
                                kind.equals(d.path("kind").asText())
                                        && name.equals(d.path("metadata").path("name").asText()))
                .findFirst();
    }

    /**
     * The number of the container's port of that name; the API's falls back to 8080, as Quarkus
     * does.
     */
    private static int containerPort(String name) {
        return StreamSupport.stream(iterable(container.path("ports")).spliterator(), false)
                .filter(p -> name.equals(p.path("name").asText()))
                .mapToInt(p -> p.path("containerPort").asInt())
                .findFirst()
                .orElse("http".equals(name) ? 8080 : -1);
    }

    private static void assertHttpProbe(String probe, String path) {
        JsonNode p = container.path(probe);
        assertTrue(p.isObject(), probe + " is missing");
        JsonNode get = p.path("httpGet");
        assertEquals(path, get.path("path").asText(null), probe + " must GET " + path);
        assertTrue(
                get.path("port").isInt() || get.path("port").isTextual(), probe + " has no port");
    }

    private static Set<String> referencedSecrets() {
        Set<String> names =
                StreamSupport.stream(iterable(container.path("envFrom")).spliterator(), false)
                        .map(e -> e.path("secretRef").path("name").asText(null))
                        .filter(n -> n != null)
                        .collect(Collectors.toSet());
        for (JsonNode env : iterable(container.path("env"))) {
            Optional.ofNullable(
                            env.path("valueFrom").path("secretKeyRef").path("name").asText(null))
                    .ifPresent(names::add);
        }
        return names;
    }

    private static Set<String> referencedConfigMaps() {
        Set<String> names =
                StreamSupport.stream(iterable(container.path("envFrom")).spliterator(), false)
                        .map(e -> e.path("configMapRef").path("name").asText(null))
                        .filter(n -> n != null)
                        .collect(Collectors.toSet());
        for (JsonNode env : iterable(container.path("env"))) {
            Optional.ofNullable(
                            env.path("valueFrom").path("configMapKeyRef").path("name").asText(null))
                    .ifPresent(names::add);
        }
        return names;
    }

    private static Iterable<JsonNode> iterable(JsonNode arrayOrMissing) {
        return arrayOrMissing.isArray() ? arrayOrMissing : List.of();
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        Path file = Path.of("src/main/resources/application.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }

    /** Quarkus durations: {@code 30S}, {@code 30s}, {@code PT30S}, or plain seconds. */
    static long seconds(String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            return Long.parseLong(v);
        }
        Duration d = Duration.parse(v.toUpperCase(Locale.ROOT).startsWith("P") ? v : "PT" + v);
        return (long) Math.ceil(d.toMillis() / 1000.0);
    }

    /** CPU quantity in millicores: {@code 250m}, {@code 1}, {@code 0.5}. */
    static double cpu(String q) {
        return q.endsWith("m")
                ? Double.parseDouble(q.substring(0, q.length() - 1))
                : Double.parseDouble(q) * 1000;
    }

    /** Memory quantity in bytes: {@code 512Mi}, {@code 1Gi}, {@code 500M}, {@code 268435456}. */
    static double bytes(String q) {
        Map<String, Double> units =
                Map.of(
                        "Ki",
                        1024d,
                        "Mi",
                        1024d * 1024,
                        "Gi",
                        1024d * 1024 * 1024,
                        "k",
                        1e3,
                        "K",
                        1e3,
                        "M",
                        1e6,
                        "G",
                        1e9);
        for (Map.Entry<String, Double> unit :
                units.entrySet().stream()
                        .sorted((a, b) -> b.getKey().length() - a.getKey().length())
                        .toList()) {
            if (q.endsWith(unit.getKey())) {
                return Double.parseDouble(q.substring(0, q.length() - unit.getKey().length()))
                        * unit.getValue();
            }
        }
        return Double.parseDouble(q);
    }
}
