package kr.cancelpay.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The benchmark's MongoDB: mongo-java-server with its memory backend (the store the tests use), as
 * a process of its own so its CPU is measured apart from the service's. Started by {@code
 * bench/run}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) kr.cancelpay.bench.BenchStore \
 *      --port 0 --admin-port 0
 * </pre>
 *
 * prints {@code BENCH-STORE-READY port=<p> admin=<a>} and serves until {@code POST /stop} on the
 * admin port. {@code POST /seed?db=<name>&count=<n>} drops the database and writes {@code n}
 * guide-shaped payment rows ({@link BenchOrders}) with the indexes the README asks the merchant
 * for.
 */
public final class BenchStore {

    private static final int BATCH = 1000;

    private BenchStore() {}

    public static void main(String[] args) throws Exception {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", BenchAdmin.intArg(args, "port", 0));
        int port = server.getLocalAddress().getPort();
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port);
        BenchAdmin admin =
                BenchAdmin.start(
                        BenchAdmin.intArg(args, "admin-port", 0),
                        Map.of("seed", params -> seed(client, params)));
        System.out.println("BENCH-STORE-READY port=" + port + " admin=" + admin.port());
        admin.awaitStop();
        admin.close();
        client.close();
        server.shutdownNow();
    }

    private static String seed(MongoClient client, Map<String, String> params) {
        long start = System.nanoTime();
        String db = params.getOrDefault("db", "shop");
        int count = BenchAdmin.intParam(params, "count");
        MongoDatabase database = client.getDatabase(db);
        database.drop();
        MongoCollection<Document> payments = database.getCollection("payments");
        payments.createIndex(Indexes.ascending("merchant_uid"), new IndexOptions().unique(true));
        payments.createIndex(
                Indexes.ascending("cancelpay_pending.requested_at"),
                new IndexOptions().sparse(true));
        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < count; i++) {
            // As the guide's mongoose model writes a row, plus pay_method (see bench/README.md).
            batch.add(
                    new Document("_id", new ObjectId())
                            .append("imp_uid", BenchOrders.impUid(i))
                            .append("merchant_uid", BenchOrders.merchantUid(i))
                            .append("pay_method", BenchOrders.PAY_METHOD)
                            .append("amount", BenchOrders.AMOUNT)
                            .append("cancel_amount", 0)
                            .append("__v", 0));
            if (batch.size() == BATCH || i == count - 1) {
                payments.insertMany(batch);
                batch.clear();
            }
        }
        long rows = payments.countDocuments();
        return "{\"db\":\""
                + db
                + "\",\"rows\":"
                + rows
                + ",\"ms\":"
                + (System.nanoTime() - start) / 1_000_000
                + "}";
    }
}
