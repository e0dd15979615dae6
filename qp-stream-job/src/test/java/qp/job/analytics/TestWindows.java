package qp.job.analytics;

import java.util.Map;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/** WindowStats rows for detector tests: window i is [i·10 s, (i+1)·10 s). */
public final class TestWindows {
    public static final long WINDOW_MILLIS = 10_000;

    private TestWindows() {
    }

    public static WindowStats latency(String node, String type, int i, double p95Micros, long samples) {
        return row(node, type, i, samples, 0, samples, p95Micros, 100, 200, 300, Map.of());
    }

    public static WindowStats errors(String node, int i, long count, long errors) {
        return row(node, WindowStats.ALL_TYPES, i, count, errors, count, 1000, 100, 200, 300, Map.of());
    }

    public static WindowStats mix(String node, int i, Map<String, Long> typeMix) {
        long count = typeMix.values().stream().mapToLong(Long::longValue).sum();
        return row(node, WindowStats.ALL_TYPES, i, count, 0, count, 1000, 100, 200, 300, typeMix);
    }

    public static WindowStats row(String node, String type, int i, long count, long errors, long latencySamples,
            double p95Micros, double payloadMean, double payloadP95, long payloadMax, Map<String, Long> typeMix) {
        long start = i * WINDOW_MILLIS;
        double seconds = WINDOW_MILLIS / 1000.0;
        return new WindowStats(node, type, WindowView.TUMBLING, start, start + WINDOW_MILLIS, count, count * 100,
                count / seconds, count * 100 / seconds, errors, count == 0 ? 0 : (double) errors / count,
                latencySamples, p95Micros / 2, p95Micros, p95Micros * 1.2, (long) (p95Micros * 1.5), payloadMean,
                payloadMean / 4, payloadP95, payloadMax, typeMix,
                Map.of("0-63", 0L, "64-255", count / 2, "256-1023", count - count / 2), null);
    }
}
