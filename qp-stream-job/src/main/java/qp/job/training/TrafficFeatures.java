package qp.job.training;

import java.util.List;
import java.util.Map;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;

/**
 * The traffic anomaly model's view of a node's window: throughput, error rate, latency percentiles and payload stats
 * (log scale, so that a doubling weighs the same at any level) and the message-type mix (shares).
 */
public final class TrafficFeatures {
    private TrafficFeatures() {
    }

    static final List<String> MIX_TYPES = List.of("COMMAND", "DATA", "STREAM", "HEARTBEAT", "ERROR");
    public static final List<String> NAMES = List.of("throughput", "error_rate", "latency_p50", "latency_p95",
            "latency_p99", "payload_mean", "payload_stddev", "mix_COMMAND", "mix_DATA", "mix_STREAM", "mix_HEARTBEAT",
            "mix_ERROR");

    /** Only a node's tumbling all-types windows with frames in them. */
    public static boolean usable(WindowStats w) {
        return w.isAllTypes() && w.view() == WindowView.TUMBLING && w.count() > 0;
    }

    public static double[] of(WindowStats w) {
        double[] v = new double[NAMES.size()];
        v[0] = Math.log1p(w.throughputPerSec());
        v[1] = w.errorRate();
        v[2] = Math.log1p(w.latencyP50Micros());
        v[3] = Math.log1p(w.latencyP95Micros());
        v[4] = Math.log1p(w.latencyP99Micros());
        v[5] = Math.log1p(w.payloadMeanBytes());
        v[6] = Math.log1p(w.payloadStddevBytes());
        Map<String, Long> mix = w.typeMix() == null ? Map.of() : w.typeMix();
        double total = Math.max(1, w.count());
        for (int i = 0; i < MIX_TYPES.size(); i++) {
            v[7 + i] = mix.getOrDefault(MIX_TYPES.get(i), 0L) / total;
        }
        return v;
    }
}
