package qp.agent.insight;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import qp.protocol.json.QpJson;

/** One model version of {@code models} (without the serialized model). */
public record ModelRow(String name, String nodeId, String version, String algorithm, long trainedAtMillis, long rows,
        boolean published, Double r2, Double maeMicros, Double scoreThreshold, Map<String, Double> featureImportance,
        String detail) {

    /** The newest version of each model name and node, newest first; with {@code sinceMillis}, only those trained since. */
    public static List<ModelRow> latest(Connection db, long sinceMillis) throws SQLException {
        String sql = "SELECT m.name, m.node_id, m.version, m.algorithm, m.trained_at_ms, m.rows, m.published, m.r2, "
                + "m.mae_micros, m.score_threshold, m.feature_importance_json, m.detail FROM models m "
                + "WHERE m.trained_at_ms >= ? AND m.trained_at_ms = (SELECT MAX(o.trained_at_ms) FROM models o "
                + "WHERE o.name = m.name AND o.node_id = m.node_id) ORDER BY m.trained_at_ms DESC, m.name, m.node_id";
        List<ModelRow> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, sinceMillis);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ModelRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getInt(7) == 1, OptimizationRow.nullableDouble(rs, 8),
                            OptimizationRow.nullableDouble(rs, 9), OptimizationRow.nullableDouble(rs, 10),
                            importance(rs.getString(11)), rs.getString(12)));
                }
            }
        }
        return out;
    }

    /** Feature to importance, highest first; empty when the column is empty or unreadable. */
    static Map<String, Double> importance(String json) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JsonNode n = QpJson.tree(json.getBytes(StandardCharsets.UTF_8));
            List<Map.Entry<String, Double>> entries = new ArrayList<>();
            n.fields().forEachRemaining(e -> entries.add(Map.entry(e.getKey(), e.getValue().asDouble())));
            entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        } catch (IOException e) {
            // a display column: an unreadable one shows as empty rather than failing the whole report
        }
        return out;
    }
}
