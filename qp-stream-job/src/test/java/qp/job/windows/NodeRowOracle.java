package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/**
 * The per-node row of a tumbling window computed from the frames themselves, without the job's accumulator: exact
 * counts, sums, maxima, mean and population stddev of the payload, the type mix and the payload-size histogram
 * (bucketed by its labels' byte ranges), and latency quantiles as DDSketch defines them (the value at rank
 * floor(q·(n−1)) of the sorted samples), which the row must match within the sketch's relative accuracy.
 */
public final class NodeRowOracle {
    public static final String[] TYPES = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT"};

    private NodeRowOracle() {
    }

    /** Frames of {@code nodes} nodes over {@code windows} windows from {@code t0}: mixed types, errors, no replies. */
    public static List<FrameEvent> traffic(Random rnd, long t0, long windowMillis, int nodes, int windows) {
        List<FrameEvent> out = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            String node = "n" + n;
            for (long t = t0 + rnd.nextInt(20); t < t0 + windows * windowMillis; t += 1 + rnd.nextInt(25)) {
                String type = TYPES[rnd.nextInt(n == 1 ? 2 : TYPES.length)]; // n1: two types only
                long latency = type.equals("HEARTBEAT") || rnd.nextInt(10) == 0 ? 0 // no reply: no latency sample
                        : 50 + rnd.nextInt(n * 400) + (rnd.nextInt(50) == 0 ? 20_000 : 0);
                int raw = rnd.nextInt(8) == 0 ? 5_000 + rnd.nextInt(70_000) : rnd.nextInt(900);
                String outcome = rnd.nextInt(12) == 0 ? "UNKNOWN_OP" : FrameEvent.OK;
                out.add(new FrameEvent(node, node + "-c" + rnd.nextInt(3), 0, "s", type, null,
                        qp.protocol.events.Direction.IN, raw + 7, raw, false, latency, outcome, 1, t));
            }
        }
        return out;
    }

    /** Key "node|windowStart" → the frames of that node's window. */
    public static Map<String, List<FrameEvent>> byNodeWindow(List<FrameEvent> frames, long windowMillis) {
        Map<String, List<FrameEvent>> out = new TreeMap<>();
        for (FrameEvent f : frames) {
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), windowMillis);
            out.computeIfAbsent(f.nodeId() + "|" + start, k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    /** Asserts the job's node row against its frames; {@code alpha} is the sketch's relative accuracy. */
    public static void assertRow(List<FrameEvent> frames, WindowStats row, double alpha) {
        String at = row.nodeId() + " window " + row.windowStartMillis();
        assertEquals(WindowStats.ALL_TYPES, row.type(), at);
        long count = frames.size();
        long bytes = frames.stream().mapToLong(FrameEvent::wireBytes).sum();
        long errors = frames.stream().filter(f -> !FrameEvent.OK.equals(f.outcome())).count();
        assertEquals(count, row.count(), at + " count");
        assertEquals(bytes, row.bytes(), at + " bytes");
        double seconds = (row.windowEndMillis() - row.windowStartMillis()) / 1000.0;
        assertEquals(count / seconds, row.throughputPerSec(), 1e-9, at + " throughput");
        assertEquals(errors, row.errorCount(), at + " errors");
        assertEquals((double) errors / count, row.errorRate(), 1e-12, at + " error rate");

        long[] latencies = frames.stream().mapToLong(FrameEvent::latencyMicros).filter(l -> l > 0).sorted().toArray();
        assertEquals(latencies.length, row.latencySamples(), at + " latency samples");
        assertEquals(latencies.length == 0 ? 0 : latencies[latencies.length - 1], row.latencyMaxMicros(), at + " max");
        double[] got = {row.latencyP50Micros(), row.latencyP95Micros(), row.latencyP99Micros()};
        double[] qs = {0.50, 0.95, 0.99};
        for (int i = 0; i < qs.length; i++) {
            double exact = latencies.length == 0 ? 0 : latencies[(int) Math.floor(qs[i] * (latencies.length - 1))];
            assertEquals(exact, got[i], alpha * exact + 1e-9, at + " latency q" + qs[i]);
        }

        double mean = frames.stream().mapToDouble(FrameEvent::rawBytes).average().orElse(0);
        double variance = frames.stream().mapToDouble(f -> (f.rawBytes() - mean) * (f.rawBytes() - mean)).sum() / count;
        assertEquals(mean, row.payloadMeanBytes(), 1e-9 * Math.max(1, mean), at + " payload mean");
        assertEquals(Math.sqrt(variance), row.payloadStddevBytes(), 1e-6 * Math.max(1, Math.sqrt(variance)),
                at + " payload stddev");
        assertEquals(frames.stream().mapToLong(FrameEvent::rawBytes).max().orElse(0), row.payloadMaxBytes(),
                at + " payload max");

        Map<String, Long> mix = new HashMap<>();
        frames.forEach(f -> mix.merge(f.type(), 1L, Long::sum));
        assertEquals(mix, row.typeMix(), at + " type mix");
        Map<String, Long> histogram = new HashMap<>();
        for (String label : row.payloadSizeHistogram().keySet()) {
            long low = Long.parseLong(label.replaceAll("[-+].*", ""));
            long high = label.endsWith("+") ? Long.MAX_VALUE : Long.parseLong(label.substring(label.indexOf('-') + 1));
            histogram.put(label, frames.stream().filter(f -> f.rawBytes() >= low && f.rawBytes() <= high).count());
        }
        assertEquals(histogram, row.payloadSizeHistogram(), at + " payload histogram");
    }
}
