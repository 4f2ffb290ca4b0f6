package kr.cancelpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The packaged application in the prod profile starts nothing embedded and has no default key or
 * database: it must refuse to start, saying what is missing, rather than run half-configured; and
 * it starts only on a merchant's collection that has its unique {@code merchant_uid} index, unless
 * it may create what it needs itself.
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
                        authOff(
                                "mongodb://127.0.0.1:1/shop",
                                Map.of("CANCELPAY_LOCK_LEASE", "PT1M")));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("cancelpay.lock-lease PT1M is shorter than"), run.output);
    }

    @Test
    void withoutADatabaseItRefusesToStartNamingBothPlacesForIt() throws Exception {
        Run run = start(authOff("mongodb://127.0.0.1:1/?replicaSet=rs0", Map.of()));
        assertNotEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("cancelpay cannot start"), run.output);
        assertTrue(
                run.output.contains(
                        "quarkus.mongodb.database (env QUARKUS_MONGODB_DATABASE), or a path in"
                                + " quarkus.mongodb.connection-string"),
                run.output);
    }

    @Test
    void withoutTheMerchantsCollectionItRefusesToStartAndPrintsTheMongoshCommand()
            throws Exception {
        try (Store store = new Store()) {
            store.database("shop").getCollection("orders").insertOne(new Document("x", 1));
            // The database named by the connection string's path.
            Run run = start(authOff("mongodb://" + store.address + "/shop", Map.of()));
            assertNotEquals(0, run.exitCode, run.output);
            assertTrue(
                    run.output.contains(
                            "cancelpay cannot start: database \"shop\" has no collection \"payments\""),
                    run.output);
            assertTrue(run.output.contains("the database holds [orders]"), run.output);
            assertTrue(run.output.contains(createIndexCommand("shop", "payments")), run.output);
            assertTrue(run.output.contains("cancelpay.store.create-indexes=true"), run.output);
            assertFalse(
                    store.database("shop")
                            .listCollectionNames()
                            .into(new ArrayList<>())
                            .contains("payments"),
                    "nothing was created");
        }
    }

    @Test
    void withoutAUniqueIndexOnMerchantUidItRefusesToStartAndPrintsTheMongoshCommand()
            throws Exception {
        try (Store store = new Store()) {
            store.database("shop")
                    .getCollection("payments")
                    .insertOne(new Document("merchant_uid", "o-1"));
            // quarkus.mongodb.database wins over the path (here the authentication database).
            Run run =
                    start(
                            authOff(
                                    "mongodb://" + store.address + "/admin",
                                    Map.of("QUARKUS_MONGODB_DATABASE", "shop")));
            assertNotEquals(0, run.exitCode, run.output);
            assertTrue(
                    run.output.contains(
                            "collection \"payments\" of database \"shop\" has no unique index on merchant_uid"),
                    run.output);
            assertTrue(run.output.contains(createIndexCommand("shop", "payments")), run.output);
        }
    }

    @Test
    void aNonUniqueIndexIsNeverDroppedEvenWithCreateIndexesItRefusesToStart() throws Exception {
        try (Store store = new Store()) {
            MongoCollection<Document> payments = store.database("shop").getCollection("payments");
            payments.createIndex(Indexes.ascending("merchant_uid"));
            Run run =
                    start(
                            authOff(
                                    "mongodb://" + store.address + "/shop",
                                    Map.of("CANCELPAY_STORE_CREATE_INDEXES", "true")));
            assertNotEquals(0, run.exitCode, run.output);
            assertTrue(
                    run.output.contains(
                            "has an index on merchant_uid (\"merchant_uid_1\") that is not unique"),
                    run.output);
            assertTrue(
                    run.output.contains(
                            "db.getSiblingDB(\"shop\").getCollection(\"payments\").dropIndex(\"merchant_uid_1\"); "
                                    + createIndexCommand("shop", "payments")),
                    run.output);
            assertFalse(
                    uniqueIndexOnMerchantUid(payments), "the merchant's index is left as it was");
        }
    }

    /**
     * Allowed to create what it needs, it creates the configured collection with both indexes,
     * starts, and reads its orders from that collection.
     */
    @Test
    void withCreateIndexesItCreatesTheCollectionAndItsIndexesAndStarts() throws Exception {
        try (Store store = new Store()) {
            int port = freePort();
            Process app =
                    launch(
                            port,
                            authOff(
                                    "mongodb://" + store.address + "/shop",
                                    Map.of(
                                            "CANCELPAY_STORE_CREATE_INDEXES",
                                            "true",
                                            "CANCELPAY_PAYMENTS_COLLECTION",
                                            "orders")));
            try {
                HttpClient http =
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> get(http, port, "/q/openapi") == 200);
                MongoCollection<Document> orders = store.database("shop").getCollection("orders");
                assertTrue(uniqueIndexOnMerchantUid(orders), "the unique index was created");
                assertTrue(
                        orders.listIndexes().into(new ArrayList<>()).stream()
                                .anyMatch(
                                        index ->
                                                index.get("key", Document.class)
                                                        .containsKey(
                                                                "cancelpay_pending.requested_at")),
                        "the janitor's index was created");
                orders.insertOne(
                        new Document("imp_uid", "imp_o-1")
                                .append("merchant_uid", "o-1")
                                .append("amount", 1000));
                assertEquals(200, get(http, port, "/payments/o-1"), "read from \"orders\"");
                assertEquals(404, get(http, port, "/payments/o-2"));
            } finally {
                app.destroy();
                app.waitFor(40, TimeUnit.SECONDS);
            }
        }
    }

    /** Everything else the packaged application requires, auth off, plain-text logs. */
    private static Map<String, String> authOff(String connectionString, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("CHAIPORT_IMP_KEY", "k");
        env.put("CHAIPORT_IMP_SECRET", "s");
        env.put("CANCELPAY_AUTH_ENABLED", "false");
        env.put("QUARKUS_REST_CLIENT_CHAIPORT_URL", "http://127.0.0.1:1");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put("QUARKUS_MONGODB_CONNECTION_STRING", connectionString);
        return env;
    }

    private static String createIndexCommand(String database, String collection) {
        return "db.getSiblingDB(\""
                + database
                + "\").getCollection(\""
                + collection
                + "\").createIndex({ merchant_uid: 1 }, { unique: true })";
    }

    private static boolean uniqueIndexOnMerchantUid(MongoCollection<Document> collection) {
        return collection.listIndexes().into(new ArrayList<>()).stream()
                .anyMatch(
                        index ->
                                index.get("key", Document.class).containsKey("merchant_uid")
                                        && Boolean.TRUE.equals(index.get("unique")));
    }

    private static int get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A MongoDB for one test (mongo-java-server), and the settings that reach it. */
    private static final class Store implements AutoCloseable {
        private final MongoServer server = new MongoServer(new MemoryBackend());
        private final String address;
        private final MongoClient client;

        Store() {
            server.bind("127.0.0.1", 0);
            address = "127.0.0.1:" + server.getLocalAddress().getPort();
            client = MongoClients.create("mongodb://" + address);
        }

        MongoDatabase database(String name) {
            return client.getDatabase(name);
        }

        @Override
        public void close() {
            client.close();
            server.shutdownNow();
        }
    }

    private record Run(int exitCode, String output) {}

    /**
     * Runs the jar with only {@code env} (plus PATH/HOME/JAVA_HOME) and random ports; it fails
     * fast.
     */
    private static Run start(Map<String, String> env) throws IOException, InterruptedException {
        Process process = launch(0, env);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "the application did not stop by itself: it started without the required settings");
        }
        return new Run(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The jar with only {@code env} (plus PATH/HOME/JAVA_HOME/LANG), on {@code port} (0: any). */
    private static Process launch(int port, Map<String, String> env) throws IOException {
        assertTrue(Files.exists(JAR), "package the application first: " + JAR);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dquarkus.http.port=" + port,
                                "-Dquarkus.management.port=0",
                                "-jar",
                                JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment
                .keySet()
                .removeIf(key -> !List.of("PATH", "HOME", "JAVA_HOME", "LANG").contains(key));
        environment.putAll(env);
        if (port != 0) {
            // Read by nobody: a started application's output must not fill the pipe and block it.
            builder.redirectOutput(Path.of("target", "prod-startup-app.log").toFile());
        }
        return builder.start();
    }
}
