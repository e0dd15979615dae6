package qp.agent.testing;

import java.util.List;
import java.util.Map;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/** Recommendations and windows for tests, with only the fields that matter spelled out. */
public final class Scenario {
    public static final long WINDOW_MS = 10_000;

    private Scenario() {
    }

    public static Recommendation rec(String node, String parameter, long current, long proposed, double confidence,
            double improvement, String target, long paramVersion, long atMs) {
        String id = Recommendation.idFor(node, parameter, current, proposed, paramVersion, "rules", "test-rule-" + atMs);
        return new Recommendation(id, node, parameter, current, proposed, confidence, improvement, target, "rules",
                "rules-v1", "test-rule", "test evidence", paramVersion, atMs);
    }

    /** {@link #rec} from a model instead of the rules. */
    public static Recommendation modelRec(String node, String parameter, long current, long proposed, double confidence,
            double improvement, String target, long paramVersion, long atMs) {
        String id = Recommendation.idFor(node, parameter, current, proposed, paramVersion, "model", "test-model-" + atMs);
        return new Recommendation(id, node, parameter, current, proposed, confidence, improvement, target, "model",
                "latency/" + node + "/v1", "test-model", "test evidence", paramVersion, atMs);
    }

    /** A good compression recommendation for version 1 of a fresh gateway: off -> 1024 B, -30% bytes. */
    public static Recommendation compression(String node, long atMs) {
        return rec(node, "compression_threshold", 0, 1024, 0.9, 0.3, "bytes", 1, atMs);
    }

    /** An all-types tumbling window of a node with the figures verification reads. */
    public static WindowStats window(String node, long startMs, long count, long bytes, double p95Micros,
            double p99Micros, long errors) {
        return new WindowStats(node, WindowStats.ALL_TYPES, WindowView.TUMBLING, startMs, startMs + WINDOW_MS, count, bytes,
                count / 10.0, bytes / 10.0, errors, count == 0 ? 0 : (double) errors / count, count, p95Micros / 2,
                p95Micros, p99Micros, (long) p99Micros * 2, 500, 100, 900, 2000, Map.of("COMMAND", count), Map.of(), null);
    }

    /** {@code n} windows in a row from {@code startMs}, all alike. */
    public static List<WindowStats> windows(String node, long startMs, int n, long count, long bytes, double p95,
            double p99, long errors) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> window(node, startMs + i * WINDOW_MS, count, bytes, p95, p99, errors)).toList();
    }
}
