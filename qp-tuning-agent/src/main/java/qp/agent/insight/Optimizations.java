package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** Read queries over {@code optimizations} and its history. */
public final class Optimizations {
    /** Recommendations not applied (yet): what an operator may still apply or reject. */
    public static final Set<String> PENDING = Set.of("pending", "advised", "dry_run");
    /** Recommendations that changed a gateway. */
    public static final Set<String> CHANGED = Set.of("applied", "verified", "rolled_back");

    private final Connection db;

    public Optimizations(Connection db) {
        this.db = db;
    }

    /** Rows with one of {@code statuses}, most recently updated first; {@code nodeId} null for every node. */
    public List<OptimizationRow> withStatus(Set<String> statuses, String nodeId, long updatedSinceMillis, int limit)
            throws SQLException {
        String marks = String.join(",", Collections.nCopies(statuses.size(), "?"));
        String sql = "SELECT " + OptimizationRow.COLUMNS + " FROM optimizations WHERE status IN (" + marks + ")"
                + " AND updated_at_ms >= ?" + (nodeId == null ? "" : " AND node_id = ?")
                + " ORDER BY updated_at_ms DESC, id DESC LIMIT ?";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            int i = 1;
            for (String s : statuses.stream().sorted().toList()) {
                p.setString(i++, s);
            }
            p.setLong(i++, updatedSinceMillis);
            if (nodeId != null) {
                p.setString(i++, nodeId);
            }
            p.setInt(i, limit);
            return list(p);
        }
    }

    /** The latest rows of any status. */
    public List<OptimizationRow> recent(long updatedSinceMillis, int limit) throws SQLException {
        String sql = "SELECT " + OptimizationRow.COLUMNS + " FROM optimizations WHERE updated_at_ms >= ? "
                + "ORDER BY updated_at_ms DESC, id DESC LIMIT ?";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, updatedSinceMillis);
            p.setInt(2, limit);
            return list(p);
        }
    }

    /** The newest change (applied, verified or rolled back) of this node and parameter, or null. */
    public Long lastChangeMillis(String nodeId, String parameter) throws SQLException {
        String sql = "SELECT MAX(COALESCE(rolled_back_at_ms, verified_at_ms, applied_at_ms, applying_at_ms)) "
                + "FROM optimizations WHERE node_id = ? AND parameter = ? AND applying_at_ms IS NOT NULL";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, nodeId);
            p.setString(2, parameter);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? OptimizationRow.nullableLong(rs, 1) : null;
            }
        }
    }

    /** Recommendation ids of this node in flight (applying, or applied and not yet verified or rolled back). */
    public List<String> inFlight(String nodeId) throws SQLException {
        String sql = "SELECT recommendation_id FROM optimizations WHERE node_id = ? AND status IN ('applying', 'applied')";
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, nodeId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** One step of an optimization's history. */
    public record Event(long atMillis, String status, String actor, String reason) {
    }

    public List<Event> history(long optimizationId) throws SQLException {
        String sql = "SELECT at_ms, status, actor, reason FROM optimization_events WHERE optimization_id = ? "
                + "ORDER BY at_ms, id";
        List<Event> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, optimizationId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    private static List<OptimizationRow> list(PreparedStatement p) throws SQLException {
        List<OptimizationRow> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(OptimizationRow.read(rs));
            }
        }
        return out;
    }
}
