package kr.cancelpay.bench;

import java.time.Duration;
import java.util.Map;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox;
import kr.cancelpay.dev.sandbox.ChaiPortSandbox.Endpoint;
import kr.cancelpay.dev.sandbox.SandboxPayment;

/**
 * The benchmark's ChaiPort: the sandbox as a process of its own, with a fixed latency per call and
 * only call counts kept. Started by {@code bench/run}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) kr.cancelpay.bench.BenchSandbox \
 *      --port 0 --admin-port 0 --imp-key bench_key --imp-secret bench_secret
 * </pre>
 *
 * prints {@code BENCH-SANDBOX-READY port=<p> admin=<a>} and serves until {@code POST /stop} on the
 * admin port, whose commands are {@code seed?count=<n>} (all payments replaced by the {@code n}
 * orders of {@link BenchOrders}), {@code latency?ms=<ms>} and {@code counts} (calls per endpoint
 * and executed cancels so far).
 */
public final class BenchSandbox {

    private BenchSandbox() {}

    public static void main(String[] args) throws Exception {
        // The JDK server closes a connection after its answer once 200 are idle: a client with more
        // connections than that (the guide's sample at 256 concurrent refunds) then races the close
        // and sees connection resets no real PG would cause. Read when the first server is created.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        ChaiPortSandbox sandbox =
                new ChaiPortSandbox(
                        BenchAdmin.arg(args, "imp-key", "bench_key"),
                        BenchAdmin.arg(args, "imp-secret", "bench_secret"));
        sandbox.keepCallRecords(false);
        sandbox.start(BenchAdmin.intArg(args, "port", 0));
        BenchAdmin admin =
                BenchAdmin.start(
                        BenchAdmin.intArg(args, "admin-port", 0),
                        Map.of(
                                "seed",
                                        params ->
                                                seed(sandbox, BenchAdmin.intParam(params, "count")),
                                "latency",
                                        params -> {
                                            sandbox.setLatency(
                                                    Duration.ofMillis(
                                                            BenchAdmin.intParam(params, "ms")));
                                            return "{\"latency_ms\":" + params.get("ms") + "}";
                                        },
                                "counts", params -> counts(sandbox)));
        System.out.println("BENCH-SANDBOX-READY port=" + sandbox.port() + " admin=" + admin.port());
        admin.awaitStop();
        admin.close();
        sandbox.stop();
    }

    private static String seed(ChaiPortSandbox sandbox, int count) {
        long start = System.nanoTime();
        sandbox.clearPayments();
        for (int i = 0; i < count; i++) {
            sandbox.putPayment(
                    SandboxPayment.paid(
                            BenchOrders.impUid(i),
                            BenchOrders.merchantUid(i),
                            BenchOrders.PAY_METHOD,
                            BenchOrders.AMOUNT));
        }
        return "{\"payments\":"
                + sandbox.payments().size()
                + ",\"ms\":"
                + (System.nanoTime() - start) / 1_000_000
                + "}";
    }

    private static String counts(ChaiPortSandbox sandbox) {
        return "{\"get_token\":"
                + sandbox.callCount(Endpoint.GET_TOKEN)
                + ",\"cancel\":"
                + sandbox.callCount(Endpoint.CANCEL)
                + ",\"get_payment\":"
                + sandbox.callCount(Endpoint.GET_PAYMENT)
                + ",\"executed_cancels\":"
                + sandbox.executedCancels()
                + "}";
    }
}
