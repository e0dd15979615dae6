package qp.agent.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStore;
import qp.agent.insight.AnomalyRow;
import qp.agent.insight.ExperimentRow;
import qp.agent.insight.ModelRow;
import qp.agent.insight.OptimizationRow;
import qp.agent.insight.Optimizations;
import qp.agent.insight.TimeRange;
import qp.protocol.json.QpJson;

/**
 * Everything the page shows, read from the store in one go: per node the window series (latency percentiles,
 * throughput, error rate), anomalies, top bigrams, models, optimizations with their evidence, and the experiments
 * (those running with their latest estimate, the ended ones with their verdict), and how well confidence predicted
 * the experiments' verdicts (the reliability table per source and the Brier score).
 */
final class DashboardSnapshot {
    static final int ANOMALIES = 30;
    static final int BIGRAMS = 10;
    static final int OPTIMIZATIONS = 50;
    static final int ENDED_EXPERIMENTS = 20;
    /** The newest experiments read to find the running ones and the last ended ones (a node runs a few at a time). */
    static final int EXPERIMENTS_READ = 200;

    private final Connection db;
    private final ExperimentStore experiments;
    private final Duration chartWindow;
    private final ConfidenceCalibration calibration;

    DashboardSnapshot(Connection db, ExperimentStore experiments, ConfidenceCalibration calibration,
            Duration chartWindow) {
        this.db = db;
        this.experiments = experiments;
        this.calibration = calibration;
        this.chartWindow = chartWindow;
    }

    ObjectNode read(long nowMillis) throws SQLException {
        long from = nowMillis - chartWindow.toMillis();
        ObjectNode root = QpJson.object();
        root.set("nodes", series(from));
        ArrayNode anomalies = root.putArray("anomalies");
        for (AnomalyRow a : AnomalyRow.recent(db, new TimeRange(nowMillis - Duration.ofDays(1).toMillis(),
                Long.MAX_VALUE, null), ANOMALIES)) {
            anomalies.add(QpJson.mapper().valueToTree(a));
        }
        root.set("bigrams", bigrams(from));
        ArrayNode models = root.putArray("models");
        for (ModelRow m : ModelRow.latest(db, 0)) {
            models.add(QpJson.mapper().valueToTree(m));
        }
        ArrayNode opts = root.putArray("optimizations");
        for (OptimizationRow o : new Optimizations(db).recent(0, OPTIMIZATIONS)) {
            ObjectNode n = QpJson.mapper().valueToTree(o);
            n.put("observedChange", o.observedChange());
            opts.add(n);
        }
        root.set("experiments", experiments());
        root.set("calibration", QpJson.mapper().valueToTree(calibration.report()));
        return root;
    }

    /** {@code {"running": [...], "ended": [...]}}, newest first, as {@link ExperimentRow}s. */
    private ObjectNode experiments() {
        ObjectNode out = QpJson.object();
        ArrayNode running = out.putArray("running");
        ArrayNode ended = out.putArray("ended");
        for (Experiment e : experiments.list(null, EXPERIMENTS_READ)) {
            ExperimentRow row = ExperimentRow.of(e);
            if (!row.over()) {
                running.add(QpJson.mapper().valueToTree(row));
            } else if (ended.size() < ENDED_EXPERIMENTS) {
                ended.add(QpJson.mapper().valueToTree(row));
            }
        }
        return out;
    }

    /** Tumbling all-types windows per node that ended after {@code from}, oldest first, as column arrays. */
    private ObjectNode series(long from) throws SQLException {
        ObjectNode nodes = QpJson.object();
        String sql = "SELECT node_id, window_end_ms, latency_p50_micros, latency_p95_micros, latency_p99_micros, "
                + "throughput_per_sec, error_rate FROM performance_metrics WHERE source = 'window' AND type = '*' "
                + "AND (window_view IS NULL OR window_view = 'TUMBLING') AND window_end_ms > ? "
                + "ORDER BY node_id, window_end_ms";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, from);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ObjectNode n = (ObjectNode) nodes.get(rs.getString(1));
                    if (n == null) {
                        n = nodes.putObject(rs.getString(1));
                        for (String k : new String[] {"t", "p50", "p95", "p99", "throughput", "errorRate"}) {
                            n.putArray(k);
                        }
                    }
                    ((ArrayNode) n.get("t")).add(rs.getLong(2) / 1000.0);
                    ((ArrayNode) n.get("p50")).add(rs.getDouble(3));
                    ((ArrayNode) n.get("p95")).add(rs.getDouble(4));
                    ((ArrayNode) n.get("p99")).add(rs.getDouble(5));
                    ((ArrayNode) n.get("throughput")).add(rs.getDouble(6));
                    ((ArrayNode) n.get("errorRate")).add(rs.getDouble(7));
                }
            }
        }
        return nodes;
    }

    private ArrayNode bigrams(long from) throws SQLException {
        ArrayNode out = QpJson.mapper().createArrayNode();
        String sql = "SELECT first_type, second_type, SUM(count) AS n FROM bigrams WHERE window_end_ms > ? "
                + "GROUP BY first_type, second_type ORDER BY n DESC, first_type, second_type LIMIT " + BIGRAMS;
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, from);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("sequence", rs.getString(1) + " -> " + rs.getString(2)).put("count", rs.getLong(3));
                }
            }
        }
        return out;
    }
}
