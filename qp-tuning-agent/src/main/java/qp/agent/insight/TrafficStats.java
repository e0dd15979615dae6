package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code stats} query: per node and in total, over a time range of the store. Traffic comes from the nodes'
 * samples; latency and errors from the job's windows, whose latency sketches are merged (every frame counted), not
 * from the sampled message_log, which holds only some connections (per-frame detail is {@code analyze}'s).
 */
public final class TrafficStats {
    /** The node samples of qp.node-metrics are per second: a sample's rate times this is its interval's count. */
    static final double SAMPLE_INTERVAL_SEC = 1.0;

    private final Connection db;

    public TrafficStats(Connection db) {
        this.db = db;
    }

    /** @param nodes per node, sorted by name; {@code total} over all of them */
    public record Result(Map<String, NodeStats> nodes, NodeStats total) {
    }

    private static final class Acc {
        Long uptimeSeconds;
        double framesIn;
        double framesOut;
        double bytesIn;
        double bytesOut;
        double ratesSum;
        long samples;
        Integer connections;
        final MergedLatency latency = new MergedLatency();
        long windowFrames;
        long windowErrors;

        NodeStats toStats() {
            return new NodeStats(uptimeSeconds, Math.round(framesIn), Math.round(framesOut), Math.round(bytesIn),
                    Math.round(bytesOut), samples == 0 ? 0 : ratesSum / samples, latency.avgMicros(),
                    latency.quantileMicros(0.50), latency.quantileMicros(0.95), latency.quantileMicros(0.99),
                    latency.maxMicros(), latency.samples(), latency.windows(), latency.leftOut(),
                    latency.relativeAccuracy(), windowFrames,
                    windowFrames == 0 ? null : (double) windowErrors / windowFrames, connections);
        }
    }

    public Result query(TimeRange range) throws SQLException {
        Map<String, Acc> byNode = new TreeMap<>();
        readSamples(range, byNode);
        readWindows(range, byNode);
        for (Map.Entry<String, Acc> e : byNode.entrySet()) {
            readLatestSample(e.getKey(), range.toMillis(), e.getValue());
        }
        Acc total = new Acc();
        Map<String, NodeStats> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, Acc> e : byNode.entrySet()) {
            Acc a = e.getValue();
            nodes.put(e.getKey(), a.toStats());
            total.framesIn += a.framesIn;
            total.framesOut += a.framesOut;
            total.bytesIn += a.bytesIn;
            total.bytesOut += a.bytesOut;
            if (a.samples > 0) {
                total.ratesSum += a.ratesSum / a.samples; // the fleet's rate is the sum of the nodes' rates
            }
            total.latency.addAll(a.latency);
            total.windowFrames += a.windowFrames;
            total.windowErrors += a.windowErrors;
            if (a.connections != null) {
                total.connections = (total.connections == null ? 0 : total.connections) + a.connections;
            }
            if (a.uptimeSeconds != null) {
                total.uptimeSeconds = total.uptimeSeconds == null ? a.uptimeSeconds
                        : Math.max(total.uptimeSeconds, a.uptimeSeconds);
            }
        }
        total.samples = 1; // ratesSum already holds the sum of the nodes' mean rates
        return new Result(nodes, total.toStats());
    }

    private void readSamples(TimeRange range, Map<String, Acc> byNode) throws SQLException {
        String sql = "SELECT node_id, COUNT(*), SUM(frames_in_per_sec), SUM(frames_out_per_sec), SUM(bytes_in_per_sec), "
                + "SUM(bytes_out_per_sec), SUM(frames_in_per_sec + frames_out_per_sec) FROM performance_metrics "
                + "WHERE source = 'node' AND window_end_ms >= ? AND window_end_ms < ?" + range.nodeClause("node_id")
                + " GROUP BY node_id";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Acc a = byNode.computeIfAbsent(rs.getString(1), n -> new Acc());
                    a.samples = rs.getLong(2);
                    a.framesIn = rs.getDouble(3) * SAMPLE_INTERVAL_SEC;
                    a.framesOut = rs.getDouble(4) * SAMPLE_INTERVAL_SEC;
                    a.bytesIn = rs.getDouble(5) * SAMPLE_INTERVAL_SEC;
                    a.bytesOut = rs.getDouble(6) * SAMPLE_INTERVAL_SEC;
                    a.ratesSum = rs.getDouble(7);
                }
            }
        }
    }

    /** The job's tumbling all-types windows that end in the range: their frames, errors and latency sketches. */
    private void readWindows(TimeRange range, Map<String, Acc> byNode) throws SQLException {
        String sql = "SELECT node_id, count, error_count, latency_max_micros, latency_sketch FROM performance_metrics "
                + "WHERE source = 'window' AND type = '*' AND window_view = 'TUMBLING' "
                + "AND window_end_ms >= ? AND window_end_ms < ?" + range.nodeClause("node_id");
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Acc a = byNode.computeIfAbsent(rs.getString(1), n -> new Acc());
                    a.windowFrames += rs.getLong(2);
                    a.windowErrors += rs.getLong(3);
                    a.latency.add(rs.getBytes(5), rs.getLong(4));
                }
            }
        }
    }

    /** Connections and uptime at the node's latest sample up to the end of the range. */
    private void readLatestSample(String node, long toMillis, Acc a) throws SQLException {
        String latest = "SELECT window_end_ms, connections, instance_id FROM performance_metrics WHERE source = 'node' "
                + "AND node_id = ? AND window_end_ms < ? ORDER BY window_end_ms DESC LIMIT 1";
        long lastMs;
        String instance;
        try (PreparedStatement p = db.prepareStatement(latest)) {
            p.setString(1, node);
            p.setLong(2, toMillis);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                lastMs = rs.getLong(1);
                int c = rs.getInt(2);
                a.connections = rs.wasNull() ? null : c;
                instance = rs.getString(3);
            }
        }
        String first = "SELECT MIN(window_end_ms) FROM performance_metrics WHERE source = 'node' AND node_id = ? "
                + "AND instance_id IS ? AND window_end_ms <= ?";
        try (PreparedStatement p = db.prepareStatement(first)) {
            p.setString(1, node);
            p.setString(2, instance);
            p.setLong(3, lastMs);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    a.uptimeSeconds = (lastMs - rs.getLong(1)) / 1000;
                }
            }
        }
    }
}
