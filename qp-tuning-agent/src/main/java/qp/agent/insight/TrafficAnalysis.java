package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code analyze} query: message patterns, latency and payload distributions, anomalies, current suggestions. */
public final class TrafficAnalysis {
    /** Upper bounds (exclusive) of the latency buckets, microseconds; the last bucket is open. */
    static final long[] LATENCY_BOUNDS_MICROS = {100, 1_000, 10_000, 100_000, 1_000_000};
    static final String[] LATENCY_LABELS = {"<100us", "100us-1ms", "1-10ms", "10-100ms", "100ms-1s", ">=1s"};
    /** Upper bounds (exclusive) of the payload buckets, bytes. */
    static final long[] PAYLOAD_BOUNDS_BYTES = {256, 1024, 4096, 16_384, 65_536};
    static final String[] PAYLOAD_LABELS = {"<256B", "256B-1KiB", "1-4KiB", "4-16KiB", "16-64KiB", ">=64KiB"};
    static final int TOP_SEQUENCES = 10;

    private final Connection db;

    public TrafficAnalysis(Connection db) {
        this.db = db;
    }

    /** @param sizes of payloads (raw bytes, after decompression) of the logged IN frames */
    public record PayloadSizes(long frames, Double meanBytes, Long p95Bytes, Long maxBytes, Map<String, Long> histogram) {
    }

    public record LatencyDistribution(LatencySummary summary, Map<String, Long> histogram) {
    }

    public record Result(Map<String, Long> sequences, long transitions, LatencyDistribution latency,
            PayloadSizes payloadBytes, Map<String, Long> anomalies, List<OptimizationRow> suggestions) {
    }

    public Result query(TimeRange range) throws SQLException {
        LongList latencies = new LongList();
        LongList sizes = new LongList();
        String sql = "SELECT latency_micros, raw_bytes FROM message_log WHERE direction = 'IN' AND event_time_ms >= ? "
                + "AND event_time_ms < ?" + range.nodeClause("node_id");
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) > 0) {
                        latencies.add(rs.getLong(1));
                    }
                    sizes.add(rs.getLong(2));
                }
            }
        }
        Map<String, Long> sequences = new LinkedHashMap<>();
        long transitions = sequences(range, sequences);
        List<OptimizationRow> suggestions = new Optimizations(db).withStatus(Optimizations.PENDING, range.nodeId(),
                0, 50);
        return new Result(sequences, transitions,
                new LatencyDistribution(latencies.summary(), histogram(latencies, LATENCY_BOUNDS_MICROS, LATENCY_LABELS)),
                payloads(sizes), anomaliesByKind(db, range), suggestions);
    }

    private long sequences(TimeRange range, Map<String, Long> out) throws SQLException {
        String sql = "SELECT first_type, second_type, SUM(count) AS n FROM bigrams WHERE window_end_ms > ? "
                + "AND window_end_ms <= ?" + range.nodeClause("node_id")
                + " GROUP BY first_type, second_type ORDER BY n DESC, first_type, second_type";
        long total = 0;
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    total += rs.getLong(3);
                    if (out.size() < TOP_SEQUENCES) {
                        out.put(rs.getString(1) + " -> " + rs.getString(2), rs.getLong(3));
                    }
                }
            }
        }
        return total;
    }

    /** Anomalies per kind whose window ended in the range, most frequent first. */
    static Map<String, Long> anomaliesByKind(Connection db, TimeRange range) throws SQLException {
        String sql = "SELECT kind, COUNT(*) AS n FROM anomalies WHERE window_end_ms > ? AND window_end_ms <= ?"
                + range.nodeClause("node_id") + " GROUP BY kind ORDER BY n DESC, kind";
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static PayloadSizes payloads(LongList sizes) {
        LatencySummary s = sizes.summary(); // the same order statistics, in bytes
        return new PayloadSizes(s.samples(), s.avgMicros(), s.p95Micros(), s.maxMicros(),
                histogram(sizes, PAYLOAD_BOUNDS_BYTES, PAYLOAD_LABELS));
    }

    static Map<String, Long> histogram(LongList values, long[] bounds, String[] labels) {
        long[] counts = new long[labels.length];
        for (int i = 0; i < values.size(); i++) {
            long v = values.array()[i];
            int b = 0;
            while (b < bounds.length && v >= bounds[b]) {
                b++;
            }
            counts[b]++;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            out.put(labels[i], counts[i]);
        }
        return out;
    }
}
