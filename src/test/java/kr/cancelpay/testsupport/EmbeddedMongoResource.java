package kr.cancelpay.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * mongo-java-server (memory backend) on a random loopback port, in place of a real MongoDB: the
 * tests need no Docker and no mongod. Tests get an {@link EmbeddedMongo} handle to stop and restart
 * it on the same port. The application finds its database in the connection string's path, and the
 * merchant's {@code payments} collection with its unique {@code merchant_uid} index, as a merchant
 * prepares it (docs/adopting.md): the start-up check finds what it requires.
 */
public class EmbeddedMongoResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectEmbeddedMongo {}

    /**
     * The running server; a restart keeps the port, so the application's client reconnects by
     * itself, but not the data (like a database that came back empty).
     */
    /** The application's database, named by the connection string's path. */
    public static final String DATABASE = "cancelpay";

    public static final class EmbeddedMongo {
        private MongoServer server;
        private int port;
        private int starts;

        synchronized void start() {
            starts++;
            server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", port);
            port = server.getLocalAddress().getPort();
        }

        public synchronized void stop() {
            server.shutdownNow();
        }

        /** Back on the same port. */
        public synchronized void restart() {
            start();
        }

        /** Changes with every (re)start: clients made before it hold dead connections. */
        public synchronized String connectionString() {
            return "mongodb://127.0.0.1:" + port + "/?appName=start-" + starts;
        }

        String applicationConnectionString() {
            return "mongodb://127.0.0.1:" + port + "/" + DATABASE;
        }

        /** What docs/adopting.md asks of the merchant before the service's first start. */
        void prepareMerchantCollection() {
            try (MongoClient client = MongoClients.create(applicationConnectionString())) {
                client.getDatabase(DATABASE)
                        .getCollection("payments")
                        .createIndex(
                                Indexes.ascending("merchant_uid"), new IndexOptions().unique(true));
            }
        }
    }

    private EmbeddedMongo mongo;

    @Override
    public Map<String, String> start() {
        mongo = new EmbeddedMongo();
        mongo.start();
        mongo.prepareMerchantCollection();
        return Map.of("quarkus.mongodb.connection-string", mongo.applicationConnectionString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                mongo,
                new TestInjector.AnnotatedAndMatchesType(
                        InjectEmbeddedMongo.class, EmbeddedMongo.class));
    }

    @Override
    public void stop() {
        if (mongo != null) {
            mongo.stop();
        }
    }
}
