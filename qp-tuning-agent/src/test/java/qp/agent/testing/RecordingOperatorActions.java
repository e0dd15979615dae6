package qp.agent.testing;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import qp.agent.operator.OperatorActions;
import qp.agent.store.Database;

/**
 * A testing {@link OperatorActions}: it keeps the interface's contract on a real store (idempotent, every change
 * recorded in optimizations and optimization_events with the actor) but talks to no gateway and no Kafka: apply marks
 * the row applied, rollback rolled_back, reject rejected with gate {@code operator}; retrain is recorded in
 * {@link #calls} only. The agent's real implementation replaces it in AgentMain.
 */
public final class RecordingOperatorActions implements OperatorActions {
    /** One call as it reached the agent. */
    public record Call(String action, String id, String actor) {
    }

    private static final Set<String> APPLICABLE = Set.of("pending", "advised", "dry_run", "rejected");
    private static final Set<String> REJECTABLE = Set.of("pending", "advised", "dry_run");
    private static final Set<String> ROLLBACKABLE = Set.of("applied", "verified");

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Database db;
    private final Clock clock;

    public RecordingOperatorActions(Path store, Clock clock) {
        this.db = Database.open(store, clock);
        this.clock = clock;
    }

    @Override
    public synchronized ActionResult apply(String id, String actor) {
        calls.add(new Call("apply", id, actor));
        return move(id, actor, APPLICABLE, "applied", "applied_at_ms", null, "applied by " + actor);
    }

    @Override
    public synchronized ActionResult reject(String id, String actor, String reason) {
        calls.add(new Call("reject", id, actor));
        return move(id, actor, REJECTABLE, "rejected", "decided_at_ms", "operator", reason);
    }

    @Override
    public synchronized ActionResult rollback(String id, String actor) {
        calls.add(new Call("rollback", id, actor));
        return move(id, actor, ROLLBACKABLE, "rolled_back", "rolled_back_at_ms", null, "rolled back by " + actor);
    }

    @Override
    public ActionResult retrain(String nodeId, String actor) {
        calls.add(new Call("retrain", nodeId, actor));
        return new ActionResult(true, "requested", "retraining requested for " + (nodeId == null ? "every node" : nodeId));
    }

    private ActionResult move(String id, String actor, Set<String> from, String to, String timeColumn, String gate,
            String reason) {
        try {
            String status;
            long rowId;
            try (PreparedStatement p = db.connection().prepareStatement(
                    "SELECT id, status FROM optimizations WHERE recommendation_id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return new ActionResult(false, "unknown", "no recommendation " + id);
                    }
                    rowId = rs.getLong(1);
                    status = rs.getString(2);
                }
            }
            if (status.equals(to)) {
                return new ActionResult(true, to, id + " is already " + to);
            }
            if (!from.contains(status)) {
                return new ActionResult(false, status, id + " is " + status + ": it cannot become " + to);
            }
            long now = clock.millis();
            try (PreparedStatement p = db.connection().prepareStatement("UPDATE optimizations SET status = ?, "
                    + timeColumn + " = ?, gate = COALESCE(?, gate), reason = ?, updated_at_ms = ? WHERE id = ?")) {
                p.setString(1, to);
                p.setLong(2, now);
                p.setString(3, gate);
                p.setString(4, reason);
                p.setLong(5, now);
                p.setLong(6, rowId);
                p.executeUpdate();
            }
            try (PreparedStatement p = db.connection().prepareStatement(
                    "INSERT INTO optimization_events (optimization_id, at_ms, status, actor, reason) VALUES (?, ?, ?, ?, ?)")) {
                p.setLong(1, rowId);
                p.setLong(2, now);
                p.setString(3, to);
                p.setString(4, actor);
                p.setString(5, reason);
                p.executeUpdate();
            }
            return new ActionResult(true, to, id + " " + to + " (" + reason + ")");
        } catch (SQLException e) {
            throw Database.explain(db.file(), e);
        }
    }

    public void close() {
        db.close();
    }
}
