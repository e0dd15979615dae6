package qp.agent.testing;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import qp.protocol.analytics.SketchCodec;

/**
 * Inserts rows into a real store file the way the agent's ingest and gates do (one row per record, per the schema of
 * sql/sqlite), so that the read side can be tested without the agent.
 */
public final class StoreRows {
    private final Connection db;

    public StoreRows(Connection db) {
        this.db = db;
    }

    public StoreRows nodeSample(String node, long atMs, double inPerSec, double outPerSec, double bytesInPerSec,
            double bytesOutPerSec, int connections, String instanceId, long paramVersion) throws SQLException {
        exec("INSERT INTO performance_metrics (source, node_id, type, window_start_ms, window_end_ms, frames_in_per_sec, "
                + "frames_out_per_sec, bytes_in_per_sec, bytes_out_per_sec, cpu, heap_used_bytes, connections, "
                + "heartbeat_timeouts, param_version, params_json, instance_id, recorded_at_ms) "
                + "VALUES ('node', ?, '*', ?, ?, ?, ?, ?, ?, 0.2, 1000000, ?, 0, ?, '{}', ?, ?)",
                node, atMs, atMs, inPerSec, outPerSec, bytesInPerSec, bytesOutPerSec, connections, paramVersion,
                instanceId, atMs);
        return this;
    }

    /** A tumbling window-stats row over all types of a node. */
    public StoreRows window(String node, long startMs, long endMs, long count, double p50, double p95, double p99,
            long max, long errors) throws SQLException {
        double seconds = (endMs - startMs) / 1000.0;
        exec("INSERT INTO performance_metrics (source, node_id, type, window_view, window_start_ms, window_end_ms, count, "
                + "bytes, throughput_per_sec, bytes_per_sec, error_count, error_rate, latency_samples, latency_p50_micros, "
                + "latency_p95_micros, latency_p99_micros, latency_max_micros, type_mix_json, recorded_at_ms) "
                + "VALUES ('window', ?, '*', 'TUMBLING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)",
                node, startMs, endMs, count, count * 100, count / seconds, count * 100 / seconds, errors,
                count == 0 ? 0.0 : (double) errors / count, count, p50, p95, p99, max, endMs);
        return this;
    }

    /**
     * A tumbling window-stats row over all types of a node whose latency sketch holds {@code latencies} (as the job's
     * would, at its default accuracy {@link WindowedTraffic#ALPHA}); the percentile columns are as given.
     */
    public StoreRows window(String node, long startMs, long endMs, long count, double p50, double p95, double p99,
            long max, long errors, long... latencies) throws SQLException {
        window(node, startMs, endMs, count, p50, p95, p99, max, errors);
        DDSketch sketch = SketchCodec.create(WindowedTraffic.ALPHA);
        for (long l : latencies) {
            sketch.accept(l);
        }
        exec("UPDATE performance_metrics SET latency_sketch = ? WHERE source = 'window' AND node_id = ? AND type = '*' "
                + "AND window_view = 'TUMBLING' AND window_start_ms = ? AND window_end_ms = ?",
                SketchCodec.encode(sketch), node, startMs, endMs);
        return this;
    }

    public StoreRows frame(String node, String connection, long seq, String type, String op, String direction,
            int rawBytes, long latencyMicros, String outcome, long atMs) throws SQLException {
        exec("INSERT INTO message_log (node_id, connection_id, seq, session_id, type, op, direction, wire_bytes, raw_bytes, "
                + "compressed, latency_micros, outcome, param_version, event_time_ms) "
                + "VALUES (?, ?, ?, 's1', ?, ?, ?, ?, ?, 0, ?, ?, 1, ?)",
                node, connection, seq, type, op, direction, rawBytes + 7, rawBytes, latencyMicros, outcome, atMs);
        return this;
    }

    public StoreRows bigram(String node, long startMs, long endMs, String first, String second, long count)
            throws SQLException {
        exec("INSERT INTO bigrams (node_id, window_start_ms, window_end_ms, first_type, second_type, count) "
                + "VALUES (?, ?, ?, ?, ?, ?)", node, startMs, endMs, first, second, count);
        return this;
    }

    public StoreRows anomaly(String node, String type, String kind, String severity, double score, long startMs,
            long endMs, String detail) throws SQLException {
        exec("INSERT INTO anomalies (node_id, type, kind, severity, score, value, mean, sigma, threshold, window_start_ms, "
                + "window_end_ms, detail, recorded_at_ms) VALUES (?, ?, ?, ?, ?, 900, 300, 100, 600, ?, ?, ?, ?)",
                node, type, kind, severity, score, startMs, endMs, detail, endMs);
        return this;
    }

    /** A recommendation as the agent records it when it sees one, with the decision taken. */
    public StoreRows optimization(String id, String node, String parameter, long current, long proposed,
            double confidence, double expected, String target, String status, String gate, String reason,
            long paramVersion, long atMs) throws SQLException {
        exec("INSERT INTO optimizations (recommendation_id, node_id, parameter, current_value, proposed_value, confidence, "
                + "expected_improvement, target_metric, source, model_version, rule_or_model, evidence, param_version, "
                + "status, gate, reason, created_at_ms, seen_at_ms, decided_at_ms, updated_at_ms) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'rules', 'rules-v1', 'test-rule', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, node, parameter, current, proposed, confidence, expected, target,
                "evidence for " + id + ": p95 " + (current + 1) + " us over 6 windows", paramVersion, status, gate,
                reason, atMs, atMs, atMs, atMs);
        event(id, status, "agent", reason, atMs);
        return this;
    }

    /** Moves an optimization to a changed state with its figures, as the applier and verifier do. */
    public StoreRows changed(String id, String status, Double before, Double after, long appliedMs, long endMs,
            String reason) throws SQLException {
        String endColumn = "rolled_back".equals(status) ? "rolled_back_at_ms" : "verified".equals(status)
                ? "verified_at_ms" : "applied_at_ms";
        exec("UPDATE optimizations SET status = ?, before_metric = ?, after_metric = ?, applying_at_ms = ?, "
                + "applied_at_ms = ?, " + endColumn + " = ?, previous_value = current_value, reason = ?, "
                + "updated_at_ms = ? WHERE recommendation_id = ?",
                status, before, after, appliedMs, appliedMs, endMs, reason, endMs, id);
        event(id, "applied", "agent", "applied", appliedMs);
        event(id, status, "agent", reason, endMs);
        return this;
    }

    public StoreRows event(String recommendationId, String status, String actor, String reason, long atMs)
            throws SQLException {
        exec("INSERT INTO optimization_events (optimization_id, at_ms, status, actor, reason) "
                + "SELECT id, ?, ?, ?, ? FROM optimizations WHERE recommendation_id = ?",
                atMs, status, actor, reason, recommendationId);
        return this;
    }

    public StoreRows model(String name, String node, String version, long trainedMs, Double r2, boolean published,
            String importanceJson) throws SQLException {
        exec("INSERT INTO models (name, node_id, version, algorithm, trained_at_ms, rows, train_rows, test_rows, published, "
                + "r2, mae_micros, feature_importance_json, detail, recorded_at_ms) "
                + "VALUES (?, ?, ?, 'random-forest 30 trees, depth 8', ?, 8000, 6400, 1600, ?, ?, 120.0, ?, ?, ?)",
                name, node, version, trainedMs, published ? 1 : 0, r2, importanceJson,
                (published ? "published" : "rejected") + ": R2 " + r2, trainedMs);
        return this;
    }

    private void exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }
}
