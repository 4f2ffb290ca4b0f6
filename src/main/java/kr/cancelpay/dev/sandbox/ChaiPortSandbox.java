package kr.cancelpay.dev.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful stand-in for the ChaiPort / Iamport V1 REST API ({@code /users/getToken}, {@code
 * /payments/cancel}, {@code GET /payments/...}) for dev mode and tests.
 *
 * <p>Plain Java on the JDK's HTTP server, no framework: whoever needs it creates, starts and stops
 * it. Besides the API it offers what the real PG cannot: a controllable clock, fault injection per
 * endpoint ({@link Fault}), and a record of every call, so tests can provoke timeouts, lost answers
 * and expired tokens deterministically.
 */
public final class ChaiPortSandbox implements AutoCloseable {

    /** The V1 calls the sandbox serves; faults and call records are kept per endpoint. */
    public enum Endpoint {
        /** {@code POST /users/getToken} */
        GET_TOKEN,
        /** {@code POST /payments/cancel} */
        CANCEL,
        /**
         * {@code GET /payments/{imp_uid}} and {@code GET /payments/find/{merchant_uid}[/{status}]}
         */
        GET_PAYMENT
    }

    private static final int BACKLOG = 128;

    static {
        // The JDK server writes headers and body in separate packets; with Nagle's algorithm on,
        // every
        // answer then waits ~40 ms for the client's delayed ACK. TCP_NODELAY makes calls take ~2
        // ms.
        // The property is read once per JVM, when the first JDK HttpServer is created, and only by
        // that server (Quarkus itself serves with Vert.x), so an explicit setting is respected.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SandboxClock clock = new SandboxClock();
    private final TokenAuthority tokens;
    private final PaymentBook book = new PaymentBook();
    private final FaultQueues faults = new FaultQueues();
    private final CallLog calls = new CallLog();
    private volatile Duration latency = Duration.ZERO;

    private HttpServer server;
    private ExecutorService executor;
    private SandboxHttpHandler handler;
    private int port = -1;

    public ChaiPortSandbox(String impKey, String impSecret) {
        this.tokens =
                new TokenAuthority(
                        Objects.requireNonNull(impKey, "impKey"),
                        Objects.requireNonNull(impSecret, "impSecret"),
                        clock);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Starts serving on 127.0.0.1:{@code port} (0 = any free port). */
    public synchronized ChaiPortSandbox start(int port) {
        if (server != null) {
            throw new IllegalStateException("ChaiPort sandbox already running on " + url());
        }
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
        SandboxHttpHandler newHandler =
                new SandboxHttpHandler(calls, faults, tokens, book, clock, () -> latency);
        try {
            HttpServer newServer =
                    HttpServer.create(
                            new InetSocketAddress(
                                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                            BACKLOG);
            newServer.createContext("/", newHandler);
            newServer.setExecutor(pool);
            // The server's dispatcher thread inherits daemon-ness from the thread that starts it:
            // start
            // it from a pool thread so a forgotten stop() can never keep a JVM alive.
            pool.submit(newServer::start).get();
            this.server = newServer;
            this.executor = pool;
            this.handler = newHandler;
            this.port = newServer.getAddress().getPort();
            return this;
        } catch (IOException e) {
            pool.shutdownNow();
            throw new UncheckedIOException("cannot start ChaiPort sandbox on port " + port, e);
        } catch (ExecutionException | InterruptedException e) {
            pool.shutdownNow();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start ChaiPort sandbox on port " + port, e);
        }
    }

    /** Stops serving; held (hung or delayed) requests are released at once. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        handler.releaseAll();
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
        handler = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound port (still known after stop); IllegalStateException before the first start. */
    public synchronized int port() {
        if (port < 0) {
            throw new IllegalStateException("ChaiPort sandbox was never started");
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash: the V1 base URL to configure. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    // ---- data --------------------------------------------------------------------------------

    /** Registers or replaces a payment, keyed by imp_uid. */
    public void putPayment(SandboxPayment payment) {
        book.put(Objects.requireNonNull(payment, "payment"));
    }

    public Optional<SandboxPayment> payment(String impUid) {
        return book.byImpUid(impUid);
    }

    /** All payments in registration order. */
    public List<SandboxPayment> payments() {
        return book.all();
    }

    public void clearPayments() {
        book.clear();
    }

    /**
     * Dev-mode persistence: loads {@code file} now if it exists (replacing all payments), then
     * writes a snapshot of all payments after every change, atomically.
     */
    public void persistTo(Path file) {
        book.persistTo(Objects.requireNonNull(file, "file"));
    }

    // ---- clock, latency, tokens ---------------------------------------------------------------

    /**
     * Moves the sandbox clock (system clock + offset) forward; drives now, expired_at,
     * cancelled_at.
     */
    public void advanceClock(Duration d) {
        clock.advance(Objects.requireNonNull(d, "d"));
    }

    /** The current token is rejected from now on; the next getToken issues a new one. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    /** Added before every answer (default zero). */
    public void setLatency(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + d);
        }
        latency = d;
    }

    // ---- faults ------------------------------------------------------------------------------

    /**
     * Queues a fault for the next request to {@code endpoint} (FIFO; each fault is used once).
     * {@code executeThen*} faults are accepted for {@link Endpoint#CANCEL} only.
     */
    public void enqueueFault(Endpoint endpoint, Fault fault) {
        faults.enqueue(
                Objects.requireNonNull(endpoint, "endpoint"),
                Objects.requireNonNull(fault, "fault"));
    }

    // ---- observation -------------------------------------------------------------------------

    /** Every request in arrival order, recorded on arrival before faults and processing. */
    public List<RecordedCall> calls() {
        return calls.all();
    }

    public List<RecordedCall> calls(Endpoint endpoint) {
        return calls.of(endpoint);
    }

    /**
     * How many calls {@code endpoint} received since construction or the last reset, whether their
     * records are kept or not ({@link #keepCallRecords}).
     */
    public long callCount(Endpoint endpoint) {
        return calls.count(endpoint);
    }

    /**
     * {@code false}: from now on calls are counted ({@link #callCount}) but not recorded, so {@link
     * #calls()} stops growing. For long runs such as the benchmark, whose hundreds of thousands of
     * calls would otherwise all stay in memory. Default {@code true}; a reset does not change it.
     */
    public void keepCallRecords(boolean keep) {
        calls.keepRecords(keep);
    }

    /** How many cancels actually moved money (since construction or the last reset). */
    public int executedCancels() {
        return book.executedCancels();
    }

    /**
     * Blocks until at least {@code count} calls to {@code endpoint} were recorded.
     *
     * @throws AssertionError on timeout
     */
    public void awaitCalls(Endpoint endpoint, int count, Duration timeout) {
        calls.await(endpoint, count, Objects.requireNonNull(timeout, "timeout"));
    }

    /** Back to a blank PG: no calls, faults, tokens, latency, clock offset or payments. */
    public void reset() {
        resetKeepingTokens();
        tokens.expireAll();
    }

    /**
     * Like {@link #reset()} but the current access token stays valid, so a test starts against a
     * "warm" client that already holds a token (only tests about tokens need them to expire).
     */
    public void resetKeepingTokens() {
        calls.clear();
        faults.clear();
        latency = Duration.ZERO;
        clock.reset();
        book.clear();
        book.resetExecutedCancels();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "chaiport-sandbox-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
