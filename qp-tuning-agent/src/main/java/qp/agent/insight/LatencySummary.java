package qp.agent.insight;

import java.util.Arrays;

/**
 * Latency figures of a set of frames, exact over the frames given (nearest-rank percentiles).
 *
 * @param samples frames with a latency
 */
public record LatencySummary(long samples, Double avgMicros, Long p50Micros, Long p95Micros, Long p99Micros,
        Long maxMicros) {

    public static final LatencySummary NONE = new LatencySummary(0, null, null, null, null, null);

    /** Sorts {@code latencies} in place (only the first {@code n}) and summarises them. */
    public static LatencySummary of(long[] latencies, int n) {
        if (n == 0) {
            return NONE;
        }
        Arrays.sort(latencies, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += latencies[i];
        }
        return new LatencySummary(n, sum / n, rank(latencies, n, 0.50), rank(latencies, n, 0.95),
                rank(latencies, n, 0.99), latencies[n - 1]);
    }

    static long rank(long[] sorted, int n, double p) {
        int idx = (int) Math.ceil(p * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))];
    }
}
