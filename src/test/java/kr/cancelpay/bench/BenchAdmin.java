package kr.cancelpay.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The control port of a benchmark launcher ({@link BenchStore}, {@link BenchSandbox}): a few {@code
 * POST /<command>?name=value} requests from {@code bench/run}, answered with one JSON object.
 * Loopback only; one request at a time, which is all the orchestrator sends.
 */
final class BenchAdmin {

    /** One command: query parameters in, a JSON object (as text) out. */
    @FunctionalInterface
    interface Command {
        String run(Map<String, String> params) throws Exception;
    }

    private final HttpServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private BenchAdmin(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves {@code commands} plus {@code POST /stop} on 127.0.0.1:{@code port} (0 = any free
     * port).
     */
    static BenchAdmin start(int port, Map<String, Command> commands) throws IOException {
        HttpServer server =
                HttpServer.create(
                        new InetSocketAddress(
                                InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                        16);
        BenchAdmin admin = new BenchAdmin(server);
        server.createContext("/", exchange -> admin.handle(exchange, commands));
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        return admin;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until {@code POST /stop}. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange, Map<String, Command> commands) throws IOException {
        String name = exchange.getRequestURI().getPath().replaceFirst("^/", "");
        int status = 200;
        String body;
        try {
            if ("stop".equals(name)) {
                body = "{\"stopping\":true}";
            } else if (commands.containsKey(name)) {
                body = commands.get(name).run(params(exchange.getRequestURI().getRawQuery()));
            } else {
                status = 404;
                body = "{\"error\":\"no command " + name + "\"}";
            }
        } catch (Exception e) {
            status = 500;
            body =
                    "{\"error\":\""
                            + String.valueOf(e).replace("\\", "\\\\").replace("\"", "'")
                            + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        if ("stop".equals(name)) {
            // After the answer is out: the launcher closes this server as soon as it is released.
            stopped.countDown();
        }
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static int intParam(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return Integer.parseInt(value);
    }

    /** {@code --name value} from a launcher's arguments, or {@code fallback}. */
    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
