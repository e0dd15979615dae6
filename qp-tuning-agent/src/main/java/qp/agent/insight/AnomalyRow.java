package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code anomalies}. */
public record AnomalyRow(long id, String nodeId, String type, String kind, String severity, Double score, Double value,
        Double threshold, long windowStartMillis, long windowEndMillis, String detail) {

    /** The newest anomalies whose window ended in the range, newest first. */
    public static List<AnomalyRow> recent(Connection db, TimeRange range, int limit) throws SQLException {
        String sql = "SELECT id, node_id, type, kind, severity, score, value, threshold, window_start_ms, window_end_ms, "
                + "detail FROM anomalies WHERE window_end_ms > ? AND window_end_ms <= ?" + range.nodeClause("node_id")
                + " ORDER BY window_end_ms DESC, id DESC LIMIT ?";
        List<AnomalyRow> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setInt(range.bind(p, 1), limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new AnomalyRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), OptimizationRow.nullableDouble(rs, 6), OptimizationRow.nullableDouble(rs, 7),
                            OptimizationRow.nullableDouble(rs, 8), rs.getLong(9), rs.getLong(10), rs.getString(11)));
                }
            }
        }
        return out;
    }

    public static java.util.Map<String, Long> countByKind(Connection db, TimeRange range) throws SQLException {
        return TrafficAnalysis.anomaliesByKind(db, range);
    }
}
