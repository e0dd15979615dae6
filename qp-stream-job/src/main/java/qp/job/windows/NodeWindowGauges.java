package qp.job.windows;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import qp.protocol.analytics.WindowStats;

/**
 * The latest closed window of each node as Flink metrics, for the web UI (operator {@code window-stats-by-node},
 * Metrics tab, e.g. {@code window-stats-by-node.node.edge-1.latencyP99Micros}): p50/p95/p99 latency, throughput, error
 * rate and window end. The first {@link #MAX_NODE_GROUPS} nodes a subtask sees get a group each; later nodes share the
 * group {@code node.other}, which shows whichever of them closed a window last, so that a fleet of thousands of
 * nodes cannot flood the metric system. Groups live as long as the job (Flink has no way to remove a gauge).
 */
final class NodeWindowGauges {
    static final int MAX_NODE_GROUPS = 20;
    static final String OTHER = "other";

    private final MetricGroup windows;
    private final Map<String, Latest> byGroup = new HashMap<>();

    NodeWindowGauges(MetricGroup operatorGroup) {
        this.windows = operatorGroup;
    }

    void update(WindowStats s) {
        String group = byGroup.containsKey(s.nodeId()) || byGroup.size() < MAX_NODE_GROUPS ? s.nodeId() : OTHER;
        byGroup.computeIfAbsent(group, this::register).stats = s;
    }

    private Latest register(String group) {
        Latest latest = new Latest();
        MetricGroup g = windows.addGroup("node", group);
        g.gauge("latencyP50Micros", (Gauge<Double>) () -> latest.stats == null ? 0 : latest.stats.latencyP50Micros());
        g.gauge("latencyP95Micros", (Gauge<Double>) () -> latest.stats == null ? 0 : latest.stats.latencyP95Micros());
        g.gauge("latencyP99Micros", (Gauge<Double>) () -> latest.stats == null ? 0 : latest.stats.latencyP99Micros());
        g.gauge("throughputPerSec", (Gauge<Double>) () -> latest.stats == null ? 0 : latest.stats.throughputPerSec());
        g.gauge("errorRate", (Gauge<Double>) () -> latest.stats == null ? 0 : latest.stats.errorRate());
        g.gauge("windowEndMillis", (Gauge<Long>) () -> latest.stats == null ? 0 : latest.stats.windowEndMillis());
        return latest;
    }

    /** Written on the task thread, read by the metric reporters' threads. */
    private static final class Latest {
        volatile WindowStats stats;
    }
}
