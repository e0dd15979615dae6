package qp.agent.testing;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Frames a test makes up, and the window-stats records the job publishes for them: tumbling 10 s windows over all
 * types of a node, percentiles read from a DDSketch of the protocol's kind, the sketch carried in the record. The raw
 * latencies stay here, so that an oracle can compute exact quantiles without the code under test.
 */
public final class WindowedTraffic {
    public static final long WINDOW_MS = 10_000;
    /** The job's sketch accuracy (AnalyticsSettings.Windows.defaults()). */
    public static final double ALPHA = 0.005;

    private final List<FrameEvent> frames = new ArrayList<>();

    public WindowedTraffic in(String node, String connection, long atMs, long latencyMicros, String outcome) {
        frames.add(new FrameEvent(node, connection, frames.size(), "s-" + connection, "COMMAND", "echo", Direction.IN,
                107, 100, false, latencyMicros, outcome, 1, atMs));
        return this;
    }

    public List<FrameEvent> frames() {
        return List.copyOf(frames);
    }

    /** One record per node and window with frames, as the job's {@code window-stats-by-node} writes it. */
    public List<WindowStats> windows() {
        Map<String, List<FrameEvent>> byWindow = new TreeMap<>();
        for (FrameEvent f : frames) {
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), WINDOW_MS);
            byWindow.computeIfAbsent(f.nodeId() + "@" + start, k -> new ArrayList<>()).add(f);
        }
        List<WindowStats> out = new ArrayList<>();
        for (List<FrameEvent> w : byWindow.values()) {
            FrameEvent first = w.get(0);
            long start = first.eventTimeMillis() - Math.floorMod(first.eventTimeMillis(), WINDOW_MS);
            DDSketch sketch = SketchCodec.create(ALPHA);
            long errors = 0;
            long bytes = 0;
            long max = 0;
            for (FrameEvent f : w) {
                bytes += f.wireBytes();
                errors += f.isError() ? 1 : 0;
                if (f.latencyMicros() > 0) {
                    sketch.accept(f.latencyMicros());
                    max = Math.max(max, f.latencyMicros());
                }
            }
            long n = w.size();
            out.add(new WindowStats(first.nodeId(), WindowStats.ALL_TYPES, WindowView.TUMBLING, start,
                    start + WINDOW_MS, n, bytes, n / 10.0, bytes / 10.0, errors, (double) errors / n,
                    Math.round(sketch.getCount()), SketchCodec.quantile(sketch, 0.50), SketchCodec.quantile(sketch, 0.95),
                    SketchCodec.quantile(sketch, 0.99), max, 100, 0, 100, 100, Map.of("COMMAND", n),
                    Map.of("64-255", n), SketchCodec.toBase64(sketch)));
        }
        return out;
    }

    /** The latencies (&gt; 0) of a node's frames, or of every node's for null, sorted. */
    public long[] latencies(String node) {
        return frames.stream().filter(f -> node == null || f.nodeId().equals(node)).mapToLong(FrameEvent::latencyMicros)
                .filter(l -> l > 0).sorted().toArray();
    }

    public long frames(String node) {
        return frames.stream().filter(f -> node == null || f.nodeId().equals(node)).count();
    }

    public long errors(String node) {
        return frames.stream().filter(f -> node == null || f.nodeId().equals(node)).filter(FrameEvent::isError).count();
    }

    /** The exact quantile as DDSketch defines its rank: the value at rank floor(q·(n−1)) of the sorted values. */
    public static long exactQuantile(long[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }
}
