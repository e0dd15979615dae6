package qp.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.calibration.Outcome;
import qp.agent.calibration.OutcomeStore;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.protocol.analytics.Recommendation;

/**
 * Outcomes in the agent's SQLite store: each ended experiment joined to the recommendation it proved
 * ({@code experiments.recommendation_id}), with the confidence the recommendation came with.
 */
public final class SqliteOutcomeStore implements OutcomeStore {
    private final Database db;

    public SqliteOutcomeStore(Database db) {
        this.db = db;
    }

    /** The gate's calibration on this store, with the agent's {@code --calibration-min-outcomes}. */
    public static ConfidenceCalibration calibration(Database db, AgentConfig config) {
        return new ConfidenceCalibration(new SqliteOutcomeStore(db), config.get(AgentOptions.CALIBRATION_MIN_OUTCOMES));
    }

    /** Explorations are left out: they claim no confidence, so their outcomes say nothing about anyone's. */
    @Override
    public synchronized Outcomes decided() {
        String sql = "SELECT o.recommendation_id, o.source, o.confidence, e.verdict, e.status, e.ended_at_ms "
                + "FROM experiments e JOIN optimizations o ON o.recommendation_id = e.recommendation_id "
                + "WHERE e.status IN ('ended', 'failed') AND o.source <> '" + Recommendation.SOURCE_EXPLORATION + "' "
                + "ORDER BY COALESCE(e.ended_at_ms, e.updated_at_ms), e.created_at_ms, e.id";
        Map<String, Outcome> latest = new LinkedHashMap<>();
        int stopped = 0;
        int failedToStart = 0;
        try (PreparedStatement p = db.connection().prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                String verdict = rs.getString(4);
                if ("failed".equals(rs.getString(5))) {
                    failedToStart++;
                } else if (verdict == null || "stopped".equals(verdict)) {
                    stopped++;
                } else {
                    latest.remove(id); // a later experiment of the same recommendation replaces it, in its own place
                    latest.put(id, new Outcome(id, rs.getString(2), rs.getDouble(3), "kept".equals(verdict), verdict,
                            rs.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
        return new Outcomes(new ArrayList<>(latest.values()), stopped, failedToStart);
    }
}
