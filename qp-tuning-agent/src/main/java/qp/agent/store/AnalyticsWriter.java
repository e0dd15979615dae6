package qp.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramCount;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * Writes what the agent reads from Kafka into the store, a batch per transaction with statements prepared once:
 * frame events into {@code message_log} (sampled by connection), window stats and node samples into
 * {@code performance_metrics} (node samples with window_view {@code NODE}; the latency sketch of each node's tumbling
 * all-types window), anomalies, bigrams and models (their blob decoded from base64). Re-delivered records replace or
 * leave the row they already made (at-least-once input).
 */
public final class AnalyticsWriter implements AutoCloseable {
    private final Database db;
    private final Connection c;
    private final int sampleOutOf10000;
    private final PreparedStatement frame;
    private final PreparedStatement window;
    private final PreparedStatement node;
    private final PreparedStatement anomaly;
    private final PreparedStatement bigram;
    private final PreparedStatement model;

    /** {@code messageLogSample}: the share of connections whose frame events are kept, 0..1. */
    public AnalyticsWriter(Database db, double messageLogSample) {
        this.db = db;
        this.c = db.connection();
        this.sampleOutOf10000 = (int) Math.round(messageLogSample * 10_000);
        try {
            frame = c.prepareStatement("INSERT INTO message_log (node_id, connection_id, seq, session_id, type, op, "
                    + "direction, wire_bytes, raw_bytes, compressed, latency_micros, outcome, param_version, event_time_ms) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            window = c.prepareStatement("INSERT OR REPLACE INTO performance_metrics (source, node_id, type, window_view, "
                    + "window_start_ms, window_end_ms, count, bytes, throughput_per_sec, bytes_per_sec, error_count, "
                    + "error_rate, latency_samples, latency_p50_micros, latency_p95_micros, latency_p99_micros, "
                    + "latency_max_micros, payload_mean_bytes, payload_stddev_bytes, payload_p95_bytes, payload_max_bytes, "
                    + "type_mix_json, payload_histogram_json, latency_sketch, recorded_at_ms) "
                    + "VALUES ('window',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            node = c.prepareStatement("INSERT OR REPLACE INTO performance_metrics (source, node_id, type, window_view, "
                    + "window_start_ms, window_end_ms, frames_in_per_sec, frames_out_per_sec, bytes_in_per_sec, "
                    + "bytes_out_per_sec, cpu, heap_used_bytes, connections, heartbeat_timeouts, param_version, params_json, "
                    + "instance_id, recorded_at_ms) VALUES ('node',?,'*','NODE',?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            anomaly = c.prepareStatement("INSERT OR REPLACE INTO anomalies (node_id, type, kind, severity, score, value, "
                    + "mean, sigma, threshold, window_start_ms, window_end_ms, detail, recorded_at_ms) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            bigram = c.prepareStatement("INSERT OR REPLACE INTO bigrams (node_id, window_start_ms, window_end_ms, "
                    + "first_type, second_type, count) VALUES (?,?,?,?,?,?)");
            model = c.prepareStatement("INSERT OR REPLACE INTO models (name, node_id, version, algorithm, trained_at_ms, "
                    + "rows, train_rows, test_rows, published, r2, mae_micros, score_threshold, feature_importance_json, "
                    + "detail, model_blob, recorded_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    /** What one transaction writes. */
    public record Batch(List<FrameEvent> frames, List<WindowStats> windows, List<NodeMetrics> nodes,
            List<Anomaly> anomalies, List<BigramWindow> bigrams, List<ModelReport> models,
            List<ExperimentStats> experiments) {
        /** A batch without experiment windows. */
        public Batch(List<FrameEvent> frames, List<WindowStats> windows, List<NodeMetrics> nodes,
                List<Anomaly> anomalies, List<BigramWindow> bigrams, List<ModelReport> models) {
            this(frames, windows, nodes, anomalies, bigrams, models, List.of());
        }

        public int size() {
            return frames.size() + windows.size() + nodes.size() + anomalies.size() + bigrams.size() + models.size()
                    + experiments.size();
        }
    }

    /** Whether a connection's frame events are kept: the same answer for every event of the connection. */
    public boolean sampled(String connectionId) {
        if (sampleOutOf10000 >= 10_000) {
            return true;
        }
        if (connectionId == null) {
            return false;
        }
        int h = connectionId.hashCode() * 0x9E3779B1;
        return Integer.remainderUnsigned(h, 10_000) < sampleOutOf10000;
    }

    /** Writes the batch in one transaction; frame events of connections outside the sample are left out. */
    public void write(Batch b, long nowMs) {
        try {
            c.setAutoCommit(false);
            try {
                for (FrameEvent f : b.frames()) {
                    if (sampled(f.connectionId())) {
                        addFrame(f);
                    }
                }
                frame.executeBatch();
                for (WindowStats w : b.windows()) {
                    addWindow(w, nowMs);
                }
                window.executeBatch();
                for (NodeMetrics n : b.nodes()) {
                    addNode(n, nowMs);
                }
                node.executeBatch();
                for (Anomaly a : b.anomalies()) {
                    addAnomaly(a, nowMs);
                }
                anomaly.executeBatch();
                for (BigramWindow w : b.bigrams()) {
                    addBigrams(w);
                }
                bigram.executeBatch();
                for (ModelReport m : b.models()) {
                    addModel(m, nowMs);
                }
                model.executeBatch();
                SqliteExperimentStore.insertWindows(c, b.experiments(), nowMs);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    /** Deletes frame events before {@code frameCutoffMs} and metrics, anomalies, bigrams before {@code metricsCutoffMs}. */
    public void prune(long frameCutoffMs, long metricsCutoffMs) {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM message_log WHERE event_time_ms < " + frameCutoffMs);
            s.executeUpdate("DELETE FROM performance_metrics WHERE window_end_ms < " + metricsCutoffMs);
            s.executeUpdate("DELETE FROM anomalies WHERE window_end_ms < " + metricsCutoffMs);
            s.executeUpdate("DELETE FROM bigrams WHERE window_end_ms < " + metricsCutoffMs);
            // an experiment's windows go with the metrics; its verdict and figures stay in experiments
            s.executeUpdate("DELETE FROM experiment_windows WHERE window_end_ms < " + metricsCutoffMs);
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    private void addFrame(FrameEvent f) throws SQLException {
        frame.setString(1, f.nodeId());
        frame.setString(2, f.connectionId());
        frame.setLong(3, f.seq());
        frame.setString(4, f.sessionId());
        frame.setString(5, f.type());
        frame.setString(6, f.op());
        frame.setString(7, f.direction() == null ? "IN" : f.direction().name());
        frame.setInt(8, f.wireBytes());
        frame.setInt(9, f.rawBytes());
        frame.setInt(10, f.compressed() ? 1 : 0);
        frame.setLong(11, f.latencyMicros());
        frame.setString(12, f.outcome() == null ? FrameEvent.OK : f.outcome());
        frame.setLong(13, f.paramVersion());
        frame.setLong(14, f.eventTimeMillis());
        frame.addBatch();
    }

    private void addWindow(WindowStats w, long nowMs) throws SQLException {
        int i = 1;
        window.setString(i++, w.nodeId());
        window.setString(i++, w.type() == null ? WindowStats.ALL_TYPES : w.type());
        window.setString(i++, w.view() == null ? "TUMBLING" : w.view().name());
        window.setLong(i++, w.windowStartMillis());
        window.setLong(i++, w.windowEndMillis());
        window.setLong(i++, w.count());
        window.setLong(i++, w.bytes());
        window.setDouble(i++, w.throughputPerSec());
        window.setDouble(i++, w.bytesPerSec());
        window.setLong(i++, w.errorCount());
        window.setDouble(i++, w.errorRate());
        window.setLong(i++, w.latencySamples());
        window.setDouble(i++, w.latencyP50Micros());
        window.setDouble(i++, w.latencyP95Micros());
        window.setDouble(i++, w.latencyP99Micros());
        window.setLong(i++, w.latencyMaxMicros());
        window.setDouble(i++, w.payloadMeanBytes());
        window.setDouble(i++, w.payloadStddevBytes());
        window.setDouble(i++, w.payloadP95Bytes());
        window.setLong(i++, w.payloadMaxBytes());
        window.setString(i++, json(w.typeMix()));
        window.setString(i++, json(w.payloadSizeHistogram()));
        window.setBytes(i++, latencySketch(w));
        window.setLong(i, nowMs);
        window.addBatch();
    }

    /**
     * The sketch bytes of a tumbling all-types row (what {@code stats} merges); null on other rows, which would only
     * multiply the store's size, and for base64 that does not decode (the row's percentiles are kept either way).
     */
    private static byte[] latencySketch(WindowStats w) {
        boolean allTypesTumbling = (w.type() == null || w.isAllTypes())
                && (w.view() == null || w.view() == WindowView.TUMBLING); // null: stored as '*' and TUMBLING
        if (w.latencySketch() == null || !allTypesTumbling) {
            return null;
        }
        try {
            return SketchCodec.fromBase64(w.latencySketch());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void addNode(NodeMetrics n, long nowMs) throws SQLException {
        int i = 1;
        node.setString(i++, n.nodeId());
        node.setLong(i++, n.timestampMillis());
        node.setLong(i++, n.timestampMillis());
        node.setDouble(i++, n.framesInPerSec());
        node.setDouble(i++, n.framesOutPerSec());
        node.setDouble(i++, n.bytesInPerSec());
        node.setDouble(i++, n.bytesOutPerSec());
        node.setDouble(i++, n.processCpuLoad());
        node.setLong(i++, n.heapUsedBytes());
        node.setInt(i++, n.connections());
        node.setLong(i++, n.heartbeatTimeouts());
        node.setLong(i++, n.paramVersion());
        node.setString(i++, n.params() == null ? null : paramsJson(n.params()));
        node.setString(i++, n.instanceId());
        node.setLong(i, nowMs);
        node.addBatch();
    }

    private void addAnomaly(Anomaly a, long nowMs) throws SQLException {
        int i = 1;
        anomaly.setString(i++, a.nodeId());
        anomaly.setString(i++, a.type());
        anomaly.setString(i++, a.kind() == null ? "UNKNOWN" : a.kind().name());
        anomaly.setString(i++, a.severity() == null ? "WARNING" : a.severity().name());
        anomaly.setDouble(i++, a.score());
        anomaly.setDouble(i++, a.value());
        anomaly.setDouble(i++, a.mean());
        anomaly.setDouble(i++, a.sigma());
        anomaly.setDouble(i++, a.threshold());
        anomaly.setLong(i++, a.windowStartMillis());
        anomaly.setLong(i++, a.windowEndMillis());
        anomaly.setString(i++, a.detail());
        anomaly.setLong(i, nowMs);
        anomaly.addBatch();
    }

    private void addBigrams(BigramWindow w) throws SQLException {
        if (w.top() == null) {
            return;
        }
        for (BigramCount b : w.top()) {
            bigram.setString(1, w.nodeId());
            bigram.setLong(2, w.windowStartMillis());
            bigram.setLong(3, w.windowEndMillis());
            bigram.setString(4, b.from());
            bigram.setString(5, b.to());
            bigram.setLong(6, b.count());
            bigram.addBatch();
        }
    }

    private void addModel(ModelReport m, long nowMs) throws SQLException {
        int i = 1;
        model.setString(i++, m.name());
        model.setString(i++, m.nodeId() == null ? ModelReport.ALL_NODES : m.nodeId());
        model.setString(i++, m.version());
        model.setString(i++, m.algorithm());
        model.setLong(i++, m.trainedAtMillis());
        model.setLong(i++, m.rows());
        model.setLong(i++, m.trainRows());
        model.setLong(i++, m.testRows());
        model.setInt(i++, m.published() ? 1 : 0);
        setDouble(model, i++, m.r2());
        setDouble(model, i++, m.maeMicros());
        setDouble(model, i++, m.scoreThreshold());
        model.setString(i++, m.featureImportance() == null ? null : QpJson.string(m.featureImportance()));
        model.setString(i++, m.detail());
        model.setBytes(i++, m.modelBase64() == null ? null : Base64.getDecoder().decode(m.modelBase64()));
        model.setLong(i, nowMs);
        model.addBatch();
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.REAL);
        } else {
            p.setDouble(i, v);
        }
    }

    private static String json(Map<String, Long> m) {
        return m == null ? null : QpJson.string(m);
    }

    /** The parameters as the admin API shows them: wire names, "off" where off. */
    static String paramsJson(TunableParams p) {
        var o = QpJson.object();
        for (TunableParameter t : TunableParameter.values()) {
            long v = p.get(t);
            if (t.allowsOff() && v == TunableParams.OFF) {
                o.put(t.wireName(), "off");
            } else {
                o.put(t.wireName(), v);
            }
        }
        return QpJson.string(o);
    }

    @Override
    public void close() {
        for (PreparedStatement p : new PreparedStatement[] {frame, window, node, anomaly, bigram, model}) {
            try {
                p.close();
            } catch (SQLException ignored) {
                // closing; nothing to tell
            }
        }
    }
}
