package qp.agent.tuning;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import qp.agent.config.AgentConfig;
import qp.agent.config.GatewayEntry;
import qp.agent.gateway.AdminApiApplier;
import qp.agent.store.AnalyticsWriter;
import qp.agent.store.Database;
import qp.agent.store.SqliteLedgerStore;
import qp.agent.store.SqliteWindowHistory;
import qp.agent.testing.MutableClock;
import qp.agent.testing.RecordingApplier;
import qp.protocol.analytics.WindowStats;

/** One "process" of the agent's loop on a real SQLite file: close it and open another on the same file to restart. */
final class LoopHarness implements AutoCloseable {
    final Database db;
    final SqliteLedgerStore ledger;
    final QueueRecommendationSource source = new QueueRecommendationSource();
    final RecordingApplier applier;
    final TuningLoop loop;
    final LoopOperatorActions actions;
    final List<qp.protocol.control.ControlCommand> sentCommands = new ArrayList<>();
    private final AnalyticsWriter writer;
    private final MutableClock clock;

    LoopHarness(Path file, AgentConfig config, MutableClock clock) {
        this.clock = clock;
        this.db = Database.open(file, clock);
        this.ledger = new SqliteLedgerStore(db);
        this.applier = new RecordingApplier(new AdminApiApplier(config.gateways(), java.time.Duration.ofSeconds(30)));
        this.loop = qp.agent.TuningAgent.loop(config, source, db, applier, clock);
        this.actions = new LoopOperatorActions(loop, sentCommands::add, clock);
        this.writer = new AnalyticsWriter(db, 1.0);
    }

    void windows(List<WindowStats> ws) {
        writer.write(new AnalyticsWriter.Batch(List.of(), ws, List.of(), List.of(), List.of(), List.of()), clock.millis());
    }

    /** A node sample of the node at the clock's time with {@code connections} open (what exploration sizes by). */
    void nodeSample(String nodeId, int connections) {
        qp.protocol.events.NodeMetrics m = new qp.protocol.events.NodeMetrics(nodeId, clock.millis(), 100, 100, 0, 0,
                0.1, 50_000_000, 1L << 30, connections, 0, 0, 1, qp.protocol.params.TunableParams.defaults());
        writer.write(new AnalyticsWriter.Batch(List.of(), List.of(), List.of(m), List.of(), List.of(), List.of()),
                clock.millis());
    }

    void experimentWindows(List<qp.protocol.analytics.ExperimentStats> ws) {
        writer.write(new AnalyticsWriter.Batch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), ws),
                clock.millis());
    }

    Optimization get(String recommendationId) {
        return ledger.find(recommendationId).orElseThrow();
    }

    /** The history of one optimization: "status by actor: reason" per event, oldest first. */
    List<String> events(String recommendationId) throws Exception {
        try (PreparedStatement p = db.connection().prepareStatement("SELECT e.status, e.actor, e.reason FROM "
                + "optimization_events e JOIN optimizations o ON o.id = e.optimization_id WHERE o.recommendation_id = ? "
                + "ORDER BY e.id")) {
            p.setString(1, recommendationId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " by " + rs.getString(2) + ": " + rs.getString(3));
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        writer.close();
        db.close();
    }
}
