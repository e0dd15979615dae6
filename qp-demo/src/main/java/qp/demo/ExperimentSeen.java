package qp.demo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import qp.protocol.params.TunableParameter;

/**
 * One row of the agent's {@code experiments} table as the demo shows it. The effect and its interval are ratios on the
 * target metric, {@code treatment / control - 1} (-0.62 is 62% lower, better for every metric); null until the
 * experiment has an interval. The verdict is null until it is decided.
 */
record ExperimentSeen(String id, String recommendationId, String nodeId, String parameter, long control,
                      long treatment, String assignment, double share, String status, String targetMetric,
                      Double effect, Double low, Double high, Double level, Long framesControl, Long framesTreatment,
                      String verdict, String sentence, long createdAtMillis, Long startedAtMillis, Long endedAtMillis) {

    static ExperimentSeen of(Map<String, Object> row) {
        return new ExperimentSeen(text(row, "id"), text(row, "recommendation_id"), text(row, "node_id"),
                text(row, "parameter"), whole(row, "control_value"), whole(row, "treatment_value"),
                text(row, "assignment"), real(row, "share") == null ? 0 : real(row, "share"), text(row, "status"),
                text(row, "target_metric"), real(row, "effect"), real(row, "interval_low"), real(row, "interval_high"),
                real(row, "interval_level"), longOrNull(row, "frames_control"), longOrNull(row, "frames_treatment"),
                text(row, "verdict"), text(row, "sentence"), whole(row, "created_at_ms"),
                longOrNull(row, "started_at_ms"), longOrNull(row, "ended_at_ms"));
    }

    /** Kept, and ended on the gateway: the treatment is the node's value now. */
    boolean adopted() {
        return "kept".equals(verdict) && "ended".equals(status);
    }

    /** {@code compression_threshold off -> 4096 bytes}. */
    String change() {
        return parameter + " " + TunableParameter.show(parameter, control) + " -> "
                + TunableParameter.show(parameter, treatment);
    }

    /** The verdict, or where it is while there is none ({@code running 50%}, {@code starting}, {@code failed}). */
    String outcome() {
        if (verdict != null) {
            return "ending".equals(status) ? verdict + " (ending)" : verdict;
        }
        return "running".equals(status) && "session".equals(assignment)
                ? String.format(Locale.ROOT, "running %.0f%%", 100 * share) : status;
    }

    /** {@code wire_bytes_per_raw_byte -85% [-87%, -83%] at 99.9%}, or the metric alone before an interval. */
    String effectLine() {
        if (effect == null) {
            return targetMetric + " (no interval yet)";
        }
        return targetMetric + " " + percent(effect) + " [" + percent(low) + ", " + percent(high) + "]"
                + (level == null ? "" : " at " + new BigDecimal(100 * level).round(new MathContext(4))
                        .stripTrailingZeros().toPlainString() + "%");
    }

    /** {@code frames 1200 control / 640 treatment}, or nothing before an interval. */
    String framesLine() {
        return framesControl == null ? "" : "frames " + framesControl + " control / " + framesTreatment + " treatment";
    }

    /** One line: id, node, change, verdict, effect with its interval, frames per arm. */
    String line() {
        String frames = framesLine();
        return id + " " + nodeId + " " + change() + ": " + outcome() + "; " + effectLine()
                + (frames.isEmpty() ? "" : "; " + frames);
    }

    static String percent(Double ratio) {
        if (ratio == null) {
            return "?";
        }
        double p = 100 * ratio;
        String s = Math.abs(p) >= 9.95 ? String.format(Locale.ROOT, "%+.0f", p) : String.format(Locale.ROOT, "%+.1f", p);
        return (s.matches("[+-]0(\\.0)?") ? s.substring(1) : s) + "%";
    }

    private static String text(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    private static long whole(Map<String, Object> row, String column) {
        Long v = longOrNull(row, column);
        return v == null ? 0 : v;
    }

    private static Long longOrNull(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.longValue() : null;
    }

    private static Double real(Map<String, Object> row, String column) {
        return row.get(column) instanceof Number n ? n.doubleValue() : null;
    }
}
