package qp.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.TreeMap;
import qp.agent.experiments.TrafficProfile;
import qp.agent.tuning.WindowHistory;
import qp.protocol.json.QpJson;
import qp.agent.tuning.WindowSample;

/**
 * A node's tumbling all-types windows from {@code performance_metrics}, with the heartbeat timeouts of the node's
 * samples inside each window.
 */
public final class SqliteWindowHistory implements WindowHistory {
    private static final String SELECT = "SELECT w.window_start_ms, w.window_end_ms, w.count, w.bytes, "
            + "w.throughput_per_sec, w.error_count, w.latency_p95_micros, w.latency_p99_micros, "
            + "(SELECT COALESCE(SUM(n.heartbeat_timeouts), 0) FROM performance_metrics n WHERE n.source = 'node' "
            + "AND n.node_id = w.node_id AND n.window_start_ms >= w.window_start_ms AND n.window_start_ms < w.window_end_ms) "
            + "FROM performance_metrics w WHERE w.source = 'window' AND w.type = '*' AND w.window_view = 'TUMBLING' "
            + "AND w.node_id = ? ";

    private final Database db;

    public SqliteWindowHistory(Database db) {
        this.db = db;
    }

    @Override
    public synchronized List<WindowSample> before(String nodeId, long untilMs, int n) {
        List<WindowSample> l = query(SELECT + "AND w.window_end_ms <= ? ORDER BY w.window_end_ms DESC LIMIT ?",
                nodeId, untilMs, n);
        Collections.reverse(l);
        return l;
    }

    @Override
    public synchronized List<WindowSample> after(String nodeId, long fromMs, int n) {
        return query(SELECT + "AND w.window_start_ms >= ? ORDER BY w.window_start_ms LIMIT ?", nodeId, fromMs, n);
    }

    @Override
    public synchronized OptionalInt connections(String nodeId, long untilMs) {
        try (PreparedStatement p = db.connection().prepareStatement("SELECT connections FROM performance_metrics WHERE "
                + "source = 'node' AND node_id = ? AND window_end_ms <= ? ORDER BY window_end_ms DESC LIMIT 1")) {
            p.setString(1, nodeId);
            p.setLong(2, untilMs);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    int c = rs.getInt(1);
                    return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(c);
                }
                return OptionalInt.empty();
            }
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    @Override
    public synchronized TrafficProfile profile(String nodeId, long untilMs, int n) {
        try (PreparedStatement p = db.connection().prepareStatement("SELECT window_start_ms, window_end_ms, count, bytes, "
                + "type_mix_json FROM performance_metrics WHERE source = 'window' AND type = '*' AND "
                + "window_view = 'TUMBLING' AND node_id = ? AND window_end_ms <= ? ORDER BY window_end_ms DESC LIMIT ?")) {
            p.setString(1, nodeId);
            p.setLong(2, untilMs);
            p.setInt(3, n);
            long millis = 0;
            long frames = 0;
            long bytes = 0;
            Map<String, Long> mix = new TreeMap<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    millis += rs.getLong(2) - rs.getLong(1);
                    frames += rs.getLong(3);
                    bytes += rs.getLong(4);
                    String json = rs.getString(5);
                    if (json != null) {
                        QpJson.mapper().readValue(json, TrafficProfile.COUNTS).forEach((k, v) -> mix.merge(k, v, Long::sum));
                    }
                }
            }
            if (millis == 0 || frames == 0) {
                return null;
            }
            return new TrafficProfile(frames * 1000.0 / millis, (double) bytes / frames, TrafficProfile.shares(mix));
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        } catch (java.io.IOException e) {
            throw new StoreException("performance_metrics.type_mix_json is not a JSON object: " + e.getMessage(), e);
        }
    }

    private List<WindowSample> query(String sql, String nodeId, long t, int n) {
        try (PreparedStatement p = db.connection().prepareStatement(sql)) {
            p.setString(1, nodeId);
            p.setLong(2, t);
            p.setInt(3, n);
            List<WindowSample> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new WindowSample(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5),
                            rs.getLong(6), rs.getDouble(7), rs.getDouble(8), rs.getLong(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }
}
