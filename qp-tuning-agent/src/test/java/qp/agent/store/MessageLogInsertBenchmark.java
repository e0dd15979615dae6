package qp.agent.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Sustained insert rate of frame events into {@code message_log}, through the agent's own writer (batches of one
 * Kafka poll per transaction, WAL, synchronous=NORMAL, the table's two indexes), on a real file. Rerunnable:
 * <pre>
 * mvn -B -q -pl qp-tuning-agent -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=qp.agent.store.MessageLogInsertBenchmark -Dexec.args="2000000 5000 5"
 * </pre>
 * Arguments: rows per run, rows per transaction, runs. Each run starts from a new file (and a table that grows to
 * the run's size); prints each run's rate and the median.
 */
public final class MessageLogInsertBenchmark {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<FrameEvent> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            events.add(new FrameEvent("edge-" + (i % 4), "c" + (i % 512), i, "s" + (i % 512), i % 3 == 0 ? "ACK" : "COMMAND",
                    i % 3 == 0 ? null : "echo", i % 2 == 0 ? Direction.IN : Direction.OUT, 72 + i % 900, 64 + i % 900,
                    false, 180 + i % 5000, FrameEvent.OK, 1, 0));
        }
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < runs; r++) {
            Path dir = Files.createTempDirectory("qp-bench-store-");
            Path file = dir.resolve("agent.db");
            try (Database db = Database.open(file, Clock.systemUTC());
                 AnalyticsWriter w = new AnalyticsWriter(db, 1.0)) {
                long t0 = System.nanoTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long base = 1_796_000_000_000L;
                for (int done = 0; done < rows; done += batch) {
                    List<FrameEvent> b = new ArrayList<>(batch);
                    for (FrameEvent e : events) {
                        b.add(new FrameEvent(e.nodeId(), e.connectionId(), done + e.seq(), e.sessionId(), e.type(), e.op(),
                                e.direction(), e.wireBytes(), e.rawBytes(), e.compressed(), e.latencyMicros(), e.outcome(),
                                e.paramVersion(), base + done + e.seq()));
                    }
                    w.write(new AnalyticsWriter.Batch(b, List.of(), List.of(), List.of(), List.of(), List.of()), base);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpuSecs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                rates[r] = rows / secs;
                cpuRates[r] = rows / cpuSecs;
                // rows per CPU-second of the writing thread (SQLite runs in it): what one idle core would do
                System.out.printf("run %d: %,d rows in %.2f s = %,.0f rows/s; %.2f CPU-s = %,.0f rows per CPU-second "
                        + "(file %,d MB)%n", r + 1, rows, secs, rates[r], cpuSecs, cpuRates[r],
                        (Files.size(file) + sizeOr0(dir.resolve("agent.db-wal"))) >> 20);
            } finally {
                try (var s = Files.list(dir)) {
                    s.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(dir);
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double[] cpuSorted = cpuRates.clone();
        Arrays.sort(cpuSorted);
        System.out.printf("median of %d runs: %,.0f rows/s wall, %,.0f rows per CPU-second (%d rows per transaction)%n",
                runs, sorted[runs / 2], cpuSorted[runs / 2], batch);
    }

    private static long sizeOr0(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }
}
