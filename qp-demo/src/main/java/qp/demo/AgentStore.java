package qp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the agent's SQLite store, read-only, when the file exists: its decisions (table {@code optimizations}) and the
 * experiments that prove them (table {@code experiments}, sql/sqlite/V003__experiments.sql).
 */
final class AgentStore {
    private final Path db;

    AgentStore(Path db) {
        this.db = db;
    }

    /** Every row of {@code optimizations} as column name to value, oldest first; empty without a store yet. */
    List<Map<String, Object>> optimizations() {
        return rows("SELECT * FROM optimizations ORDER BY id", row -> row);
    }

    /** Every experiment, oldest first; empty without a store (or before the agent migrated it). */
    List<ExperimentSeen> experiments() {
        return rows("SELECT * FROM experiments ORDER BY created_at_ms, id", ExperimentSeen::of);
    }

    private <T> List<T> rows(String sql, Function<Map<String, Object>, T> read) {
        if (!Files.isRegularFile(db)) {
            return List.of();
        }
        List<T> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db.toAbsolutePath() + "?mode=ro");
             Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnName(i), rs.getObject(i));
                    }
                    rows.add(read.apply(row));
                }
            }
        } catch (SQLException e) {
            return List.of(); // no table yet (the agent migrates at start) or busy: the next look will see it
        }
        return rows;
    }

    static Map<String, Long> byStatus(List<Map<String, Object>> rows) {
        Map<String, Long> m = new TreeMap<>();
        rows.forEach(r -> m.merge(String.valueOf(r.get("status")), 1L, Long::sum));
        return m;
    }

    /** Rejected decisions by the gate that stopped them. */
    static Map<String, Long> rejectedByGate(List<Map<String, Object>> rows) {
        Map<String, Long> m = new TreeMap<>();
        rows.stream().filter(r -> "rejected".equals(r.get("status")))
                .forEach(r -> m.merge(String.valueOf(r.get("gate")), 1L, Long::sum));
        return m;
    }
}
