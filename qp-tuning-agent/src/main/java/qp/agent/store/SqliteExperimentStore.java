package qp.agent.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.Estimate;
import qp.agent.experiments.ExperimentMemory;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentStore;
import qp.agent.experiments.ExperimentVerdict;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.ArmMetric;
import qp.protocol.experiments.Assignment;
import qp.protocol.json.QpJson;

/** Experiments and their windows in the agent's SQLite store: tables {@code experiments}, {@code experiment_windows}. */
public final class SqliteExperimentStore implements ExperimentStore {
    private static final String COLUMNS = "id, recommendation_id, node_id, parameter, control_value, treatment_value, "
            + "assignment, share, block_ms, status, target_metric, base_param_version, gateway_started_ms, "
            + "started_at_ms, ramped_at_ms, judged_until_ms, ended_at_ms, effect, interval_low, interval_high, "
            + "interval_level, frames_control, frames_treatment, verdict, sentence, profile_json, created_at_ms, "
            + "updated_at_ms";

    private final Database db;

    public SqliteExperimentStore(Database db) {
        this.db = db;
    }

    /** The agent's memory of experiments in this store, remembering for {@code --remember-for}. */
    public static ExperimentMemory memory(Database db, AgentConfig config) {
        return new ExperimentMemory(new SqliteExperimentStore(db), new SqliteWindowHistory(db),
                config.get(AgentOptions.REMEMBER_FOR).toMillis());
    }

    private Connection c() {
        return db.connection();
    }

    @Override
    public synchronized void save(Experiment e) {
        try (PreparedStatement p = c().prepareStatement("INSERT OR REPLACE INTO experiments (" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            int i = 1;
            p.setString(i++, e.id());
            p.setString(i++, e.recommendationId());
            p.setString(i++, e.nodeId());
            p.setString(i++, e.parameter());
            p.setLong(i++, e.control());
            p.setLong(i++, e.treatment());
            p.setString(i++, e.assignment().wire());
            p.setDouble(i++, e.share());
            p.setLong(i++, e.blockMillis());
            p.setString(i++, e.status().wire());
            p.setString(i++, e.targetMetric().wire());
            setLong(p, i++, e.baseParamVersion());
            setLong(p, i++, e.gatewayStartedMs());
            setLong(p, i++, e.startedAtMs());
            setLong(p, i++, e.rampedAtMs());
            p.setLong(i++, e.judgedUntilMs());
            setLong(p, i++, e.endedAtMs());
            Estimate est = e.estimate();
            setDouble(p, i++, est == null ? null : est.effect());
            setDouble(p, i++, est == null ? null : est.low());
            setDouble(p, i++, est == null ? null : est.high());
            setDouble(p, i++, est == null ? null : est.level());
            setLong(p, i++, est == null ? null : est.framesControl());
            setLong(p, i++, est == null ? null : est.framesTreatment());
            p.setString(i++, e.verdict() == null ? null : e.verdict().wire());
            p.setString(i++, e.sentence());
            p.setString(i++, e.profileJson());
            p.setLong(i++, e.createdAtMs());
            p.setLong(i, e.updatedAtMs());
            p.executeUpdate();
        } catch (SQLException ex) {
            throw Database.explain(db.file(), ex);
        }
    }

    @Override
    public synchronized Optional<Experiment> find(String id) {
        List<Experiment> l = query("SELECT " + COLUMNS + " FROM experiments WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public synchronized Optional<Experiment> forRecommendation(String recommendationId) {
        List<Experiment> l = query("SELECT " + COLUMNS + " FROM experiments WHERE recommendation_id = ? "
                + "ORDER BY created_at_ms DESC LIMIT 1", recommendationId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public synchronized List<Experiment> list(String nodeId, int limit) {
        return nodeId == null
                ? query("SELECT " + COLUMNS + " FROM experiments ORDER BY created_at_ms DESC LIMIT ?", limit)
                : query("SELECT " + COLUMNS + " FROM experiments WHERE node_id = ? ORDER BY created_at_ms DESC LIMIT ?",
                        nodeId, limit);
    }

    @Override
    public synchronized List<Experiment> endedSince(String nodeId, String parameter, long sinceMs) {
        return query("SELECT " + COLUMNS + " FROM experiments WHERE node_id = ? AND parameter = ? AND status = 'ended' "
                + "AND ended_at_ms >= ? ORDER BY ended_at_ms DESC", nodeId, parameter, sinceMs);
    }

    @Override
    public synchronized List<ExperimentStats> windows(String experimentId, String nodeId, long fromStartMs) {
        List<ExperimentStats> out = new ArrayList<>();
        try (PreparedStatement p = c().prepareStatement("SELECT stats_json FROM experiment_windows WHERE experiment_id = ? "
                + "AND node_id = ? AND window_start_ms >= ? ORDER BY window_start_ms")) {
            p.setString(1, experimentId);
            p.setString(2, nodeId);
            p.setLong(3, fromStartMs);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(QpJson.read(rs.getString(1).getBytes(StandardCharsets.UTF_8), ExperimentStats.class));
                }
            }
        } catch (SQLException ex) {
            throw Database.explain(db.file(), ex);
        } catch (IOException ex) {
            throw new StoreException("experiment_windows holds a row that is not an ExperimentStats: " + ex.getMessage(), ex);
        }
        return out;
    }

    /** Writes windows from the ingest, on its connection and transaction; a window fired again replaces the first. */
    public static void insertWindows(Connection c, List<ExperimentStats> windows, long nowMs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO experiment_windows (experiment_id, node_id, "
                + "window_start_ms, window_end_ms, stats_json, recorded_at_ms) VALUES (?,?,?,?,?,?)")) {
            for (ExperimentStats w : windows) {
                p.setString(1, w.experimentId());
                p.setString(2, w.nodeId());
                p.setLong(3, w.windowStartMillis());
                p.setLong(4, w.windowEndMillis());
                p.setString(5, QpJson.string(w));
                p.setLong(6, nowMs);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private List<Experiment> query(String sql, Object... args) {
        List<Experiment> out = new ArrayList<>();
        try (PreparedStatement p = c().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        } catch (SQLException ex) {
            throw Database.explain(db.file(), ex);
        }
        return out;
    }

    private static Experiment read(ResultSet rs) throws SQLException {
        Experiment e = new Experiment(rs.getString("id"), rs.getString("recommendation_id"), rs.getString("node_id"),
                rs.getString("parameter"), rs.getLong("control_value"), rs.getLong("treatment_value"),
                Assignment.ofWire(rs.getString("assignment")), rs.getDouble("share"), rs.getLong("block_ms"),
                ArmMetric.ofWire(rs.getString("target_metric")), ExperimentStatus.ofWire(rs.getString("status")),
                rs.getLong("created_at_ms"));
        Double effect = getDouble(rs, "effect");
        Estimate est = effect == null ? null : new Estimate(effect, rs.getDouble("interval_low"),
                rs.getDouble("interval_high"), rs.getDouble("interval_level"), Double.NaN, Double.NaN,
                rs.getLong("frames_control"), rs.getLong("frames_treatment"), 0, 0);
        e.restore(getLong(rs, "base_param_version"), getLong(rs, "gateway_started_ms"), getLong(rs, "started_at_ms"),
                getLong(rs, "ramped_at_ms"), rs.getLong("judged_until_ms"), getLong(rs, "ended_at_ms"), est,
                ExperimentVerdict.ofWire(rs.getString("verdict")), rs.getString("sentence"), rs.getString("profile_json"),
                rs.getLong("updated_at_ms"));
        return e;
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setLong(i, v);
        }
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            p.setNull(i, Types.REAL);
        } else {
            p.setDouble(i, v);
        }
    }

    private static Long getLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Double getDouble(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }
}
