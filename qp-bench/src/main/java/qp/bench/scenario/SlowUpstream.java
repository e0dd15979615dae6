package qp.bench.scenario;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tiny HTTP service behind the gateways' routed op, on loopback in the scenario's process: {@code POST
 * /lookup/<node>} answers a small JSON object after that node's current delay, or 503 for a share of requests when
 * that node is set to fail. The scenario turns the delay and the failures up and down to make real latency and errors.
 */
public final class SlowUpstream implements AutoCloseable {
    /** How one node's requests are answered. */
    public record Behaviour(int minDelayMillis, int maxDelayMillis, double failureShare) {
        public static final Behaviour FAST = new Behaviour(1, 3, 0);
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private SlowUpstream(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    /** Listens on 127.0.0.1:port (0 = any free port). */
    public static SlowUpstream start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService pool = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "qp-scenario-upstream");
            t.setDaemon(true);
            return t;
        });
        SlowUpstream up = new SlowUpstream(server, pool);
        server.createContext("/lookup", up::handle);
        server.setExecutor(pool);
        server.start();
        return up;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL a gateway's route for {@code nodeId} points at. */
    public String urlFor(String nodeId) {
        return "http://127.0.0.1:" + port() + "/lookup/" + nodeId;
    }

    public void set(String nodeId, Behaviour b) {
        behaviour.put(nodeId, b);
    }

    public void setAll(Iterable<String> nodes, Behaviour b) {
        nodes.forEach(n -> set(n, b));
    }

    public long requests() {
        return requests.sum();
    }

    public long failures() {
        return failures.sum();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.increment();
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            String path = ex.getRequestURI().getPath();
            String node = path.substring(path.lastIndexOf('/') + 1);
            Behaviour b = behaviour.getOrDefault(node, Behaviour.FAST);
            SplittableRandom random = new SplittableRandom();
            int delay = b.minDelayMillis() + (b.maxDelayMillis() > b.minDelayMillis()
                    ? random.nextInt(b.maxDelayMillis() - b.minDelayMillis()) : 0);
            Thread.sleep(delay); // this service's job is to be slow: the scenario's latency spike
            boolean fail = b.failureShare() > 0 && random.nextDouble() < b.failureShare();
            byte[] body = (fail ? "{\"error\":\"unavailable\"}" : "{\"node\":\"" + node + "\",\"delayMs\":" + delay + "}")
                    .getBytes(StandardCharsets.UTF_8);
            if (fail) {
                failures.increment();
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
