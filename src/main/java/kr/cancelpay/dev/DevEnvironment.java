package kr.cancelpay.dev;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kr.cancelpay.config.StoreDatabase;
import kr.cancelpay.dev.SampleOrders.Sample;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What {@code ./mvnw quarkus:dev} needs on a bare machine: an embedded MongoDB (mongo-java-server
 * with its H2 file backend, so data survives restarts and live reloads) and the ChaiPort V1
 * sandbox, both seeded with the same sample payments. Dev build profile only: the prod jar and the
 * native image drop this bean at build time, so neither can start there.
 */
@Singleton
@IfBuildProfile("dev")
public class DevEnvironment {

    private static final Logger LOG = Logger.getLogger(DevEnvironment.class);

    @ConfigProperty(name = "cancelpay.dev.data-dir", defaultValue = "target/dev-data")
    String dataDir;

    @ConfigProperty(name = "cancelpay.dev.mongo-port", defaultValue = "27018")
    int mongoPort;

    @ConfigProperty(name = "cancelpay.dev.sandbox-port", defaultValue = "8089")
    int sandboxPort;

    // The same choice the service makes (StoreDatabase): the key, else the connection string's
    // path.
    @ConfigProperty(name = "quarkus.mongodb.database")
    Optional<String> databaseKey;

    @ConfigProperty(name = "quarkus.mongodb.connection-string")
    Optional<String> connectionString;

    @ConfigProperty(name = "cancelpay.payments-collection")
    String paymentsCollection;

    @ConfigProperty(name = "chaiport.imp-key")
    String impKey;

    @ConfigProperty(name = "chaiport.imp-secret")
    String impSecret;

    private MongoServer mongo;
    private ChaiPortSandbox sandbox;

    /** Runs before anything else observes start-up, so the first request finds both servers up. */
    void start(@Observes @Priority(1) StartupEvent startup) throws Exception {
        Path dir = Path.of(dataDir);
        Files.createDirectories(dir);
        mongo = startMongo(dir.resolve("mongo.mv"));
        sandbox = new ChaiPortSandbox(impKey, impSecret).start(sandboxPort);
        sandbox.persistTo(dir.resolve("chaiport-sandbox.json"));
        seed();
        LOG.infof(
                "Dev mode: embedded MongoDB on 127.0.0.1:%d (data in %s), ChaiPort sandbox at %s",
                mongoPort, dir.toAbsolutePath(), sandbox.url());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sandbox != null) {
            sandbox.stop();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    private MongoServer startMongo(Path file) {
        MongoServer server;
        try {
            server = new MongoServer(new H2Backend(file.toString()));
        } catch (RuntimeException locked) {
            // Another dev JVM still holds the file: keep working, in memory this time.
            LOG.warnf("cannot open %s (%s); using an in-memory MongoDB", file, locked.getMessage());
            server = new MongoServer(new MemoryBackend());
        }
        server.bind("127.0.0.1", mongoPort);
        return server;
    }

    /**
     * Guide-shaped rows (ObjectId, __v, mixed number types) and the PG's side of the same payments.
     */
    private void seed() {
        List<Sample> samples = SampleOrders.ALL;

        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + mongoPort)) {
            // Its indexes are the service's to create in dev mode (cancelpay.store.create-indexes).
            MongoCollection<Document> payments =
                    client.getDatabase(StoreDatabase.require(databaseKey, connectionString).name())
                            .getCollection(paymentsCollection);
            if (payments.countDocuments() == 0) {
                payments.insertMany(samples.stream().map(Sample::guideRow).toList());
                LOG.infof(
                        "Dev mode: seeded %d sample payments (merchant_uid order-1001 .. order-1005)",
                        samples.size());
            }
        }
        if (sandbox.payments().isEmpty()) {
            samples.forEach(sample -> sandbox.putPayment(sample.atChaiPort()));
        }
    }
}
