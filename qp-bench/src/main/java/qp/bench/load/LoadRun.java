package qp.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Connects, authenticates, drives the closed loop (or the paced load, {@link LoadPlan#rate()}) through warm-up and the
 * measured window, then closes.
 */
public final class LoadRun {
    private static final long DRAIN_MILLIS = 3_000;

    private LoadRun() {
    }

    /** Told when the measured window starts and ends (the benchmark runner samples the servers' CPU then). */
    public interface PhaseListener {
        PhaseListener NONE = phase -> { };

        void onPhase(String phase);
    }

    /** Runs the plan on the given client ("undertow" or "jdk") with that many client threads. */
    public static LoadResult run(LoadPlan plan, String client, int clientThreads, PhaseListener phases)
            throws IOException, InterruptedException, TimeoutException {
        LoadStats stats = new LoadStats();
        RequestEncoder encoder = new RequestEncoder(plan.payloadBytes(), plan.streamCount(), plan.compression());
        List<LoadSession> sessions = new ArrayList<>();
        try (Transport transport = "jdk".equals(client) ? new JdkTransport(clientThreads) : new UndertowTransport(clientThreads)) {
            List<CompletableFuture<String>> auths = new ArrayList<>();
            for (int i = 0; i < plan.connections(); i++) {
                LoadSession s = new LoadSession(stats, encoder, plan.mix(), plan.inFlight(), 0x5150L * 31 + i);
                s.attach(transport.open(plan.url(), s));
                sessions.add(s);
                auths.add(s.authenticate(plan.token(), plan.compression()));
            }
            try {
                CompletableFuture.allOf(auths.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a connection failed to authenticate: " + e.getCause().getMessage(), e);
            }
            RatePacer pacer = plan.paced() ? new RatePacer(sessions, plan.rate(), stats) : null;
            if (pacer != null) {
                pacer.start();
            } else {
                for (LoadSession s : sessions) {
                    s.start(plan.inFlight());
                }
            }
            Thread.sleep(plan.warmup().toMillis());
            stats.takeInterval(); // the warm-up's round trips are thrown away
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
            if (pacer != null) {
                pacer.close();
            }
            sessions.forEach(LoadSession::stop);
            drain(sessions);
            sessions.forEach(LoadSession::close);
            Thread.sleep(200); // let the close frames go out before the client threads stop
            return LoadResult.of(plan, client, (end - start) / 1e9, cpu / 1e9, measured, during, io);
        }
    }

    /** CPU time of this JVM (the load generator itself), to show what the client costs per reply. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void drain(List<LoadSession> sessions) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            int left = 0;
            for (LoadSession s : sessions) {
                left += s.inFlight();
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
