package qp.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import qp.agent.tuning.Gate;
import qp.agent.tuning.LedgerStore;
import qp.agent.tuning.Optimization;
import qp.agent.tuning.Status;
import qp.protocol.analytics.Recommendation;

/** The ledger in the agent's SQLite store: tables {@code optimizations} and {@code optimization_events}. */
public final class SqliteLedgerStore implements LedgerStore {
    private static final String COLUMNS = "id, recommendation_id, node_id, parameter, current_value, proposed_value, "
            + "confidence, expected_improvement, target_metric, source, model_version, rule_or_model, evidence, "
            + "param_version, created_at_ms, seen_at_ms, status, gate, reason, actor, before_metric, after_metric, "
            + "observed_improvement, applied_param_version, previous_value, base_param_version, gateway_instance_id, "
            + "attempts, decided_at_ms, applying_at_ms, applied_at_ms, verified_at_ms, rolled_back_at_ms, failed_at_ms, "
            + "updated_at_ms";

    private final Database db;

    public SqliteLedgerStore(Database db) {
        this.db = db;
    }

    private Connection c() {
        return db.connection();
    }

    @Override
    public synchronized boolean recordSeen(Recommendation r, long nowMs) {
        try {
            return insertPending(c(), r, nowMs);
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    /** Inserts a recommendation as pending unless known, with its first event; on the caller's connection (batches). */
    public static boolean insertPending(Connection c, Recommendation r, long nowMs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO optimizations (recommendation_id, node_id, "
                + "parameter, current_value, proposed_value, confidence, expected_improvement, target_metric, source, "
                + "model_version, rule_or_model, evidence, param_version, status, created_at_ms, seen_at_ms, "
                + "updated_at_ms, actor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'pending',?,?,?,'agent')")) {
            p.setString(1, r.id());
            p.setString(2, r.nodeId());
            p.setString(3, r.parameter());
            p.setLong(4, r.currentValue());
            p.setLong(5, r.proposedValue());
            p.setDouble(6, r.confidence());
            p.setDouble(7, r.expectedImprovement());
            p.setString(8, r.targetMetric() == null ? "" : r.targetMetric());
            p.setString(9, r.source() == null ? "" : r.source());
            p.setString(10, r.modelVersion());
            p.setString(11, r.ruleOrModel());
            p.setString(12, r.evidence());
            p.setLong(13, r.paramVersion());
            p.setLong(14, r.createdAtMillis());
            p.setLong(15, nowMs);
            p.setLong(16, nowMs);
            if (p.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement e = c.prepareStatement("INSERT INTO optimization_events (optimization_id, at_ms, "
                + "status, actor, reason) SELECT id, ?, 'pending', 'agent', ? FROM optimizations WHERE recommendation_id = ?")) {
            e.setLong(1, nowMs);
            e.setString(2, "seen: " + (r.evidence() == null ? r.parameter() + " -> " + r.proposedValue() : r.evidence()));
            e.setString(3, r.id());
            e.executeUpdate();
        }
        return true;
    }

    @Override
    public synchronized Optional<Optimization> find(String recommendationId) {
        List<Optimization> l = query("SELECT " + COLUMNS + " FROM optimizations WHERE recommendation_id = ?", recommendationId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public synchronized List<Optimization> withStatus(Status... statuses) {
        StringBuilder in = new StringBuilder();
        Object[] args = new Object[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            in.append(i == 0 ? "?" : ",?");
            args[i] = statuses[i].wire();
        }
        return query("SELECT " + COLUMNS + " FROM optimizations WHERE status IN (" + in + ") ORDER BY id", args);
    }

    @Override
    public synchronized Optional<Optimization> inFlight(String nodeId) {
        List<Optimization> l = query("SELECT " + COLUMNS + " FROM optimizations WHERE node_id = ? AND status IN "
                + "('applying', 'applied') ORDER BY id LIMIT 1", nodeId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public synchronized List<Optimization> seenSince(String nodeId, String parameter, long sinceMs) {
        return query("SELECT " + COLUMNS + " FROM optimizations WHERE node_id = ? AND parameter = ? AND seen_at_ms >= ? "
                + "ORDER BY id", nodeId, parameter, sinceMs);
    }

    @Override
    public synchronized OptionalLong lastChangeAt(String nodeId, String parameter) {
        try (PreparedStatement p = c().prepareStatement("SELECT MAX(MAX(COALESCE(applied_at_ms, 0), "
                + "COALESCE(rolled_back_at_ms, 0))) FROM optimizations WHERE node_id = ? AND parameter = ? "
                + "AND (applied_at_ms IS NOT NULL OR rolled_back_at_ms IS NOT NULL)")) {
            p.setString(1, nodeId);
            p.setString(2, parameter);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
                }
                return OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    @Override
    public synchronized void save(Optimization o) {
        Connection c = c();
        try {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                String stored = null;
                try (PreparedStatement p = c.prepareStatement("SELECT status FROM optimizations WHERE id = ?")) {
                    p.setLong(1, o.id());
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next()) {
                            stored = rs.getString(1);
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE optimizations SET status = ?, gate = ?, reason = ?, "
                        + "actor = ?, before_metric = ?, after_metric = ?, observed_improvement = ?, "
                        + "applied_param_version = ?, previous_value = ?, base_param_version = ?, gateway_instance_id = ?, "
                        + "attempts = ?, decided_at_ms = ?, applying_at_ms = ?, applied_at_ms = ?, verified_at_ms = ?, "
                        + "rolled_back_at_ms = ?, failed_at_ms = ?, updated_at_ms = ? WHERE id = ?")) {
                    int i = 1;
                    p.setString(i++, o.status().wire());
                    p.setString(i++, o.gate() == null ? null : o.gate().wire());
                    p.setString(i++, o.reason());
                    p.setString(i++, o.actor());
                    setDouble(p, i++, o.beforeMetric());
                    setDouble(p, i++, o.afterMetric());
                    setDouble(p, i++, o.observedImprovement());
                    setLong(p, i++, o.appliedParamVersion());
                    setLong(p, i++, o.previousValue());
                    setLong(p, i++, o.baseParamVersion());
                    p.setString(i++, o.gatewayInstanceId());
                    p.setInt(i++, o.attempts());
                    setLong(p, i++, o.decidedAtMs());
                    setLong(p, i++, o.applyingAtMs());
                    setLong(p, i++, o.appliedAtMs());
                    setLong(p, i++, o.verifiedAtMs());
                    setLong(p, i++, o.rolledBackAtMs());
                    setLong(p, i++, o.failedAtMs());
                    p.setLong(i++, o.updatedAtMs());
                    p.setLong(i, o.id());
                    p.executeUpdate();
                }
                if (!o.status().wire().equals(stored)) {
                    try (PreparedStatement e = c.prepareStatement("INSERT INTO optimization_events (optimization_id, "
                            + "at_ms, status, actor, reason) VALUES (?, ?, ?, ?, ?)")) {
                        e.setLong(1, o.id());
                        e.setLong(2, o.updatedAtMs());
                        e.setString(3, o.status().wire());
                        e.setString(4, o.actor() == null ? "agent" : o.actor());
                        e.setString(5, o.reason());
                        e.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    private List<Optimization> query(String sql, Object... args) {
        try (PreparedStatement p = c().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<Optimization> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    private static Optimization read(ResultSet rs) throws SQLException {
        Recommendation r = new Recommendation(rs.getString("recommendation_id"), rs.getString("node_id"),
                rs.getString("parameter"), rs.getLong("current_value"), rs.getLong("proposed_value"),
                rs.getDouble("confidence"), rs.getDouble("expected_improvement"), rs.getString("target_metric"),
                rs.getString("source"), rs.getString("model_version"), rs.getString("rule_or_model"),
                rs.getString("evidence"), rs.getLong("param_version"), rs.getLong("created_at_ms"));
        Optimization o = new Optimization(rs.getLong("id"), r, Status.ofWire(rs.getString("status")),
                rs.getLong("seen_at_ms"));
        o.restore(Gate.ofWire(rs.getString("gate")), rs.getString("reason"), rs.getString("actor"),
                dbl(rs, "before_metric"), dbl(rs, "after_metric"), dbl(rs, "observed_improvement"),
                lng(rs, "applied_param_version"), lng(rs, "previous_value"), lng(rs, "base_param_version"),
                rs.getString("gateway_instance_id"), rs.getInt("attempts"), lng(rs, "decided_at_ms"),
                lng(rs, "applying_at_ms"), lng(rs, "applied_at_ms"), lng(rs, "verified_at_ms"),
                lng(rs, "rolled_back_at_ms"), lng(rs, "failed_at_ms"), rs.getLong("updated_at_ms"));
        return o;
    }

    private static Double dbl(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    private static Long lng(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.REAL);
        } else {
            p.setDouble(i, v);
        }
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setLong(i, v);
        }
    }
}
