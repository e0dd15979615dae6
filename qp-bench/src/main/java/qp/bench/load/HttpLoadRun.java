package qp.bench.load;

import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The load generator over plain HTTP/1.1 JSON (Undertow's HTTP client on an XNIO worker, like the QP side's WebSocket
 * client): connects, runs the warm-up and the measured window, closes. Each connection has one request outstanding.
 */
public final class HttpLoadRun {
    private static final long DRAIN_MILLIS = 3_000;

    private HttpLoadRun() {
    }

    public static LoadResult run(LoadPlan plan, int clientThreads, LoadRun.PhaseListener phases)
            throws IOException, InterruptedException {
        if (plan.inFlight() != 1) {
            throw new IllegalArgumentException("over HTTP/1.1 a connection carries one request at a time: use --in-flight 1 "
                    + "and raise --connections for the same concurrency (got --in-flight " + plan.inFlight() + ")");
        }
        if (plan.mix().ping() > 0 || plan.mix().stream() > 0 || plan.compression()) {
            throw new IllegalArgumentException("over HTTP the load generator sends echo and data only, uncompressed: "
                    + "use e.g. --mix echo=1 or --mix data=1 without --compression");
        }
        URI base = URI.create("http://" + plan.url().getHost() + ":" + plan.url().getPort());
        String host = plan.url().getHost() + ":" + plan.url().getPort();
        String echoBody = RequestEncoder.echoArgs(plan.payloadBytes());
        String dataBody = "d".repeat(plan.payloadBytes());
        LoadStats stats = new LoadStats();
        ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
        XnioWorker worker = Xnio.getInstance(HttpLoadRun.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, clientThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, 1)
                .set(Options.WORKER_TASK_MAX_THREADS, 1)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        List<HttpLoadSession> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < plan.connections(); i++) {
                ClientConnection c = UndertowClient.getInstance()
                        .connect(base, worker, buffers, OptionMap.create(Options.TCP_NODELAY, true)).get();
                sessions.add(new HttpLoadSession(c, buffers, stats, plan.mix(), 0x5150L * 31 + i, host, plan.token(),
                        echoBody, dataBody));
            }
            sessions.forEach(HttpLoadSession::start);
            Thread.sleep(plan.warmup().toMillis());
            stats.takeInterval();
            LoadStats.Counters before = stats.counters();
            phases.onPhase("measuring");
            ProcessIo ioStart = ProcessIo.self();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            Thread.sleep(plan.duration().toMillis());
            Histogram measured = stats.takeInterval();
            long end = System.nanoTime();
            long cpu = processCpuNanos() - cpuStart;
            ProcessIo io = ProcessIo.self().minus(ioStart);
            phases.onPhase("measured");
            LoadStats.Counters during = stats.counters().minus(before);
            sessions.forEach(HttpLoadSession::stop);
            long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
            while (System.currentTimeMillis() < deadline && sessions.stream().mapToInt(HttpLoadSession::inFlight).sum() > 0) {
                Thread.sleep(10);
            }
            return LoadResult.of(plan, "undertow-http", (end - start) / 1e9, cpu / 1e9, measured, during, io);
        } finally {
            sessions.forEach(HttpLoadSession::close);
            worker.shutdownNow();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
