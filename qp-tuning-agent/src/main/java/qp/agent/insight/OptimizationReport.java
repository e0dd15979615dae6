package qp.agent.insight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code report} query: what the loop did in a time range. */
public final class OptimizationReport {
    private final Connection db;

    public OptimizationReport(Connection db) {
        this.db = db;
    }

    /**
     * @param statusCounts optimizations per status, updated in the range
     * @param changes      applied, verified and rolled back ones, with their before/after figures, newest first
     * @param anomalies    per kind
     * @param recentAnomalies the newest ones
     * @param models       the newest version of each model trained in the range
     */
    public record Result(long fromMillis, long toMillis, Map<String, Long> statusCounts, List<OptimizationRow> changes,
            Map<String, Long> anomalies, List<AnomalyRow> recentAnomalies, List<ModelRow> models) {
    }

    public Result query(TimeRange range) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = "SELECT status, COUNT(*) FROM optimizations WHERE updated_at_ms >= ? AND updated_at_ms < ?"
                + range.nodeClause("node_id") + " GROUP BY status ORDER BY status";
        try (PreparedStatement p = db.prepareStatement(sql)) {
            range.bind(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<OptimizationRow> changes = new Optimizations(db).withStatus(Optimizations.CHANGED, range.nodeId(),
                range.fromMillis(), 500);
        return new Result(range.fromMillis(), range.toMillis(), counts, changes,
                TrafficAnalysis.anomaliesByKind(db, range), AnomalyRow.recent(db, range, 20),
                ModelRow.latest(db, range.fromMillis()));
    }
}
