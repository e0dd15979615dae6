package qp.agent.testing;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.store.Database;
import qp.agent.store.SqliteLedgerStore;
import qp.protocol.analytics.Recommendation;
import qp.protocol.experiments.Assignment;
import qp.protocol.params.TunableParameter;

/**
 * Decided outcomes in a real store, written the way the agent writes them: the recommendation through the ledger
 * ({@link SqliteLedgerStore#insertPending}), its experiment through {@link ExperimentRows} taken to its verdict, and
 * the optimization's final status (verified when kept, else rolled back).
 */
public final class OutcomeRows {
    /** The node the outcomes were on: none a test's gateway is, so that gate already_tried leaves the test's alone. */
    public static final String NODE = "edge-history";

    private final Database db;
    private final ExperimentRows experiments;
    private int next;

    public OutcomeRows(Database db) {
        this.db = db;
        this.experiments = new ExperimentRows(db);
    }

    /** A recommendation of {@code source} at {@code confidence} whose experiment ended {@code verdict}; its id. */
    public String decided(String source, double confidence, ExperimentVerdict verdict, long endedMs) throws SQLException {
        String id = recommendation(source, confidence, endedMs);
        Experiment e = experiments.started("x-" + id, NODE, "compression_threshold", 0, 1024, 0.1,
                endedMs - 600_000);
        experiments.ended(e, verdict, ExperimentRows.estimate(verdict == ExperimentVerdict.KEPT ? -0.3 : 0.0, -0.4,
                0.1, 0.95, 1000, 100), "experiment x-" + id + " | " + verdict.wire(), endedMs);
        status(id, verdict == ExperimentVerdict.KEPT ? "verified" : "rolled_back", endedMs);
        return id;
    }

    /** A recommendation whose experiment the gateway refused: it never started. */
    public String failedToStart(String source, double confidence, long atMs) throws SQLException {
        String id = recommendation(source, confidence, atMs);
        TunableParameter p = TunableParameter.byWireName("compression_threshold");
        Experiment e = new Experiment("x-" + id, id, NODE, p.wireName(), 0, 1024, Assignment.SESSION, 0.1, 0,
                p.goal().metric(), ExperimentStatus.STARTING, atMs);
        e.moveTo(ExperimentStatus.FAILED, atMs);
        experiments.store().save(e);
        status(id, "failed", atMs);
        return id;
    }

    private String recommendation(String source, double confidence, long atMs) throws SQLException {
        String id = source + "-outcome-" + (++next);
        Recommendation r = new Recommendation(id, NODE, "compression_threshold", 0, 1024, confidence, 0.3, "bytes",
                source, source + "-v1", "test", "test evidence", 1, atMs - 700_000);
        if (!SqliteLedgerStore.insertPending(db.connection(), r, atMs - 700_000)) {
            throw new IllegalStateException(id + " is in the store already: write a store's outcomes with one OutcomeRows");
        }
        return id;
    }

    private void status(String id, String status, long atMs) throws SQLException {
        try (PreparedStatement p = db.connection().prepareStatement(
                "UPDATE optimizations SET status = ?, updated_at_ms = ? WHERE recommendation_id = ?")) {
            p.setString(1, status);
            p.setLong(2, atMs);
            p.setString(3, id);
            p.executeUpdate();
        }
    }
}
