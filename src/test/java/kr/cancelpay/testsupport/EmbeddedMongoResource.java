package kr.cancelpay.testsupport;

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
 * it on the same port.
 */
public class EmbeddedMongoResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectEmbeddedMongo {}

    /**
     * The running server; a restart keeps the port, so the application's client reconnects by
     * itself, but not the data (like a database that came back empty).
     */
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
            return "mongodb://127.0.0.1:" + port;
        }
    }

    private EmbeddedMongo mongo;

    @Override
    public Map<String, String> start() {
        mongo = new EmbeddedMongo();
        mongo.start();
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
