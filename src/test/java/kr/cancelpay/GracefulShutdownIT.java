package kr.cancelpay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox;
import kr.cancelpay.dev.sandbox.Fault;
import kr.cancelpay.dev.sandbox.SandboxPayment;
import kr.cancelpay.testsupport.ChaiPortSandboxResource;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while a refund is at ChaiPort and its caller has already hung up: the packaged
 * application waits for it (within quarkus.shutdown.delay + timeout) before it exits, so the refund
 * ends recorded, not cut in half.
 */
class GracefulShutdownIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path APP_LOG = Path.of("target", "graceful-shutdown-app.log");

    @Test
    void aDetachedRefundInFlightIsFinishedBeforeTheProcessExits() throws Exception {
        assertTrue(Files.exists(JAR), "package the application first: " + JAR);
        MongoServer mongo = new MongoServer(new MemoryBackend());
        ChaiPortSandbox chaiPort =
                new ChaiPortSandbox(
                                ChaiPortSandboxResource.IMP_KEY, ChaiPortSandboxResource.IMP_SECRET)
                        .start(0);
        Process app = null;
        try (MongoClient client = MongoClients.create("mongodb://" + address(mongo))) {
            MongoDatabase database = client.getDatabase("cancelpay");
            // The merchant's collection as the packaged application requires it at start-up.
            database.getCollection("payments")
                    .createIndex(
                            Indexes.ascending("merchant_uid"), new IndexOptions().unique(true));
            database.getCollection("payments")
                    .insertOne(
                            new Document("imp_uid", "imp_order-sigterm")
                                    .append("merchant_uid", "order-sigterm")
                                    .append("amount", 10000)
                                    .append("pay_method", "card"));
            chaiPort.putPayment(
                    SandboxPayment.paid("imp_order-sigterm", "order-sigterm", "card", 10000));
            // Longer than the shutdown delay (5 s), shorter than the cancel timeout (10 s).
            chaiPort.enqueueFault(
                    ChaiPortSandbox.Endpoint.CANCEL, Fault.latency(Duration.ofSeconds(8)));

            int port = freePort();
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Dquarkus.http.port=" + port,
                                    "-Dquarkus.management.port=" + freePort(),
                                    "-jar",
                                    JAR.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(APP_LOG.toFile());
            builder.environment()
                    .keySet()
                    .removeIf(key -> !List.of("PATH", "HOME", "JAVA_HOME", "LANG").contains(key));
            builder.environment()
                    .putAll(
                            java.util.Map.of(
                                    "CHAIPORT_IMP_KEY",
                                    ChaiPortSandboxResource.IMP_KEY,
                                    "CHAIPORT_IMP_SECRET",
                                    ChaiPortSandboxResource.IMP_SECRET,
                                    "CANCELPAY_AUTH_ENABLED",
                                    "false",
                                    "QUARKUS_MONGODB_CONNECTION_STRING",
                                    "mongodb://" + address(mongo) + "/cancelpay",
                                    "QUARKUS_REST_CLIENT_CHAIPORT_URL",
                                    chaiPort.url(),
                                    "QUARKUS_LOG_CONSOLE_JSON_ENABLED",
                                    "false"));
            app = builder.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    http.send(
                                                            HttpRequest.newBuilder(
                                                                            URI.create(
                                                                                    "http://127.0.0.1:"
                                                                                            + port
                                                                                            + "/q/openapi"))
                                                                    .build(),
                                                            HttpResponse.BodyHandlers.discarding())
                                                    .statusCode()
                                            == 200);

            // The caller gives up while ChaiPort is still working on the cancel...
            HttpRequest refund =
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/payments/cancel"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofMillis(500))
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"merchant_uid\":\"order-sigterm\",\"cancel_request_amount\":4000,\"reason\":\"x\"}"))
                            .build();
            assertThrows(
                    HttpTimeoutException.class,
                    () -> http.send(refund, HttpResponse.BodyHandlers.ofString()));
            chaiPort.awaitCalls(ChaiPortSandbox.Endpoint.CANCEL, 1, Duration.ofSeconds(10));
            // ...and Kubernetes sends SIGTERM.
            app.destroy();
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the application did not stop");
            String log =
                    "(application log: "
                            + APP_LOG
                            + ")\n"
                            + Files.readString(APP_LOG, StandardCharsets.UTF_8);

            Document row =
                    database.getCollection("payments")
                            .find(new Document("merchant_uid", "order-sigterm"))
                            .first();
            Document ledger =
                    database.getCollection("refunds")
                            .find(new Document("merchant_uid", "order-sigterm"))
                            .first();
            assertEquals(1, chaiPort.executedCancels(), log);
            assertEquals("SUCCEEDED", ledger.getString("status"), log);
            assertEquals(4000L, ((Number) row.get("cancel_amount")).longValue(), log);
            assertTrue(!row.containsKey("cancelpay_pending"), log);
            assertTrue(log.contains("refund(s) in flight"), "it waited for the refund: " + log);
        } finally {
            if (app != null && app.isAlive()) {
                app.destroyForcibly();
            }
            chaiPort.close();
            mongo.shutdownNow();
        }
    }

    private static String address(MongoServer mongo) {
        if (mongo.getLocalAddress() == null) {
            mongo.bind("127.0.0.1", 0);
        }
        return "127.0.0.1:" + mongo.getLocalAddress().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
