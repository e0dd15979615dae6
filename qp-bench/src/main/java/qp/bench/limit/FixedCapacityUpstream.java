package qp.bench.limit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP service of fixed capacity on loopback: {@code workers} threads, each request served in {@code serviceTime},
 * so it answers at most workers / serviceTime requests a second. The queue in front of the workers (the executor's)
 * is unbounded and FIFO: past capacity a request waits, and its latency is queueing plus service. Every request to
 * {@code /lookup} is answered 200 with a small JSON object, the body a gateway's route turns into its ACK's result.
 */
public final class FixedCapacityUpstream implements AutoCloseable {
    public static final int DEFAULT_WORKERS = 8;
    public static final Duration DEFAULT_SERVICE_TIME = Duration.ofMillis(20);
    /** About 500 B of answer: with the ~600 B requests, a small API call's sizes. */
    static final String ITEMS = "sku-1042:3,sku-1017:1,sku-1033:2;".repeat(16);
    /** Connections the kernel holds before accept: a gateway opens one per concurrent request. */
    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService workers;
    private final int workerCount;
    private final Duration serviceTime;
    private final LongAdder served = new LongAdder();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger maxBusy = new AtomicInteger();

    private FixedCapacityUpstream(HttpServer server, ExecutorService workers, int workerCount, Duration serviceTime) {
        this.server = server;
        this.workers = workers;
        this.workerCount = workerCount;
        this.serviceTime = serviceTime;
    }

    /** Listens on 127.0.0.1:port (0 = any free port). */
    public static FixedCapacityUpstream start(int port, int workers, Duration serviceTime) throws IOException {
        if (workers < 1 || serviceTime.isNegative() || serviceTime.isZero()) {
            throw new IllegalArgumentException("the upstream needs at least 1 worker and a positive service time, got "
                    + workers + " workers and " + serviceTime.toMillis() + " ms");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "qp-limit-upstream-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        FixedCapacityUpstream up = new FixedCapacityUpstream(server, pool, workers, serviceTime);
        server.createContext("/lookup", up::handle);
        server.setExecutor(pool);
        server.start();
        return up;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL a gateway's route points at. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/lookup";
    }

    /** Requests a second it can serve at most. */
    public double capacityPerSecond() {
        return workerCount * 1e9 / serviceTime.toNanos();
    }

    public int workers() {
        return workerCount;
    }

    public Duration serviceTime() {
        return serviceTime;
    }

    public long served() {
        return served.sum();
    }

    /** The most requests that were in service at once (at most {@link #workers()}). */
    public int maxBusyWorkers() {
        return maxBusy.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = busy.incrementAndGet();
        maxBusy.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            Thread.sleep(serviceTime.toMillis(), (int) (serviceTime.toNanos() % 1_000_000));
            byte[] body = ("{\"served\":" + (served.sum() + 1) + ",\"items\":\"" + ITEMS + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            // out of service before the answer leaves: the caller's next request may arrive as soon as it has it
            busy.decrementAndGet();
            counted = false;
            served.increment();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                busy.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
