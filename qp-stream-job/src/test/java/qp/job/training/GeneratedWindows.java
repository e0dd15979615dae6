package qp.job.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/** A node's 10 s windows of generated traffic, some with injected anomalies of four kinds. */
public final class GeneratedWindows {
    private GeneratedWindows() {
    }

    public record Labelled(WindowStats window, boolean anomalous) {
    }

    public static List<Labelled> scenario(String node, int windows, double anomalyShare, long seed) {
        Random r = new Random(seed);
        List<Labelled> out = new ArrayList<>(windows);
        for (int i = 0; i < windows; i++) {
            boolean anomalous = r.nextDouble() < anomalyShare;
            double throughput = 800 * (1 + 0.1 * r.nextGaussian());
            double errorRate = Math.max(0, 0.01 + 0.004 * r.nextGaussian());
            double p50 = 900 * (1 + 0.1 * r.nextGaussian());
            double payload = 600 * (1 + 0.08 * r.nextGaussian());
            double[] mix = {0.5, 0.2, 0.15, 0.15, 0.0};
            if (anomalous) {
                switch (r.nextInt(4)) {
                    case 0 -> p50 *= 4 + 2 * r.nextDouble();                 // latency surge
                    case 1 -> errorRate = 0.15 + 0.1 * r.nextDouble();       // error burst
                    case 2 -> throughput *= r.nextBoolean() ? 0.2 : 4;       // traffic drop or flood
                    default -> {                                             // big payloads, DATA-heavy mix
                        payload *= 8;
                        mix = new double[] {0.15, 0.65, 0.1, 0.1, 0.0};
                    }
                }
            }
            long count = Math.round(throughput * 10);
            Map<String, Long> typeMix = new LinkedHashMap<>();
            String[] types = {"COMMAND", "DATA", "STREAM", "HEARTBEAT", "ERROR"};
            for (int t = 0; t < types.length; t++) {
                typeMix.put(types[t], Math.round(count * mix[t] * (1 + 0.05 * r.nextGaussian())));
            }
            long start = 1_000_000L + i * 10_000L;
            out.add(new Labelled(new WindowStats(node, WindowStats.ALL_TYPES, WindowView.TUMBLING, start, start + 10_000,
                    count, (long) (count * payload), throughput, throughput * payload, Math.round(count * errorRate),
                    errorRate, count, p50, p50 * 2.5, p50 * 4, (long) (p50 * 6), payload, payload * 0.5, payload * 2,
                    (long) (payload * 4), typeMix, Map.of(), null), anomalous));
        }
        return out;
    }
}
