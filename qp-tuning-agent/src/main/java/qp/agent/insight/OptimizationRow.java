package qp.agent.insight;

import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of {@code optimizations}: a recommendation the agent saw and what became of it. */
public record OptimizationRow(
        long id,
        String recommendationId,
        String nodeId,
        String parameter,
        long currentValue,
        long proposedValue,
        double confidence,
        double expectedImprovement,
        String targetMetric,
        String source,
        String modelVersion,
        String ruleOrModel,
        String evidence,
        long paramVersion,
        String status,
        String gate,
        String reason,
        Double beforeMetric,
        Double afterMetric,
        Long previousValue,
        long createdAtMillis,
        Long decidedAtMillis,
        Long appliedAtMillis,
        Long verifiedAtMillis,
        Long rolledBackAtMillis,
        long updatedAtMillis) {

    static final String COLUMNS = "id, recommendation_id, node_id, parameter, current_value, proposed_value, confidence, "
            + "expected_improvement, target_metric, source, model_version, rule_or_model, evidence, param_version, status, "
            + "gate, reason, before_metric, after_metric, previous_value, created_at_ms, decided_at_ms, applied_at_ms, "
            + "verified_at_ms, rolled_back_at_ms, updated_at_ms";

    /** The observed relative change of the target metric, (after - before) / before; null until both are known. */
    public Double observedChange() {
        if (beforeMetric == null || afterMetric == null || beforeMetric == 0) {
            return null;
        }
        return (afterMetric - beforeMetric) / beforeMetric;
    }

    static OptimizationRow read(ResultSet rs) throws SQLException {
        return new OptimizationRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), rs.getDouble(7), rs.getDouble(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getLong(14), rs.getString(15), rs.getString(16),
                rs.getString(17), nullableDouble(rs, 18), nullableDouble(rs, 19), nullableLong(rs, 20), rs.getLong(21),
                nullableLong(rs, 22), nullableLong(rs, 23), nullableLong(rs, 24), nullableLong(rs, 25), rs.getLong(26));
    }

    static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
