package qp.agent.tuning;

import java.time.Clock;
import qp.agent.operator.OperatorActions;
import qp.protocol.control.ControlCommand;

/**
 * The agent's {@link OperatorActions}: apply, reject and roll back go through the {@link TuningLoop}'s own steps
 * (same gates of safety, same ledger, same history, under the loop's lock); retrain writes to {@code qp.control}.
 */
public final class LoopOperatorActions implements OperatorActions {
    private final TuningLoop loop;
    private final ControlPublisher control;
    private final Clock clock;

    public LoopOperatorActions(TuningLoop loop, ControlPublisher control, Clock clock) {
        this.loop = loop;
        this.control = control;
        this.clock = clock;
    }

    @Override
    public ActionResult apply(String recommendationId, String actor) {
        return result(loop.operatorApply(recommendationId, actor));
    }

    @Override
    public ActionResult reject(String recommendationId, String actor, String reason) {
        return result(loop.operatorReject(recommendationId, actor, reason));
    }

    @Override
    public ActionResult rollback(String recommendationId, String actor) {
        return result(loop.operatorRollback(recommendationId, actor));
    }

    @Override
    public ActionResult retrain(String nodeId, String actor) {
        try {
            control.send(ControlCommand.retrain(nodeId, actor, clock.millis()));
            return new ActionResult(true, "requested", "retrain requested for " + (nodeId == null ? "every node" : nodeId));
        } catch (RuntimeException e) {
            return new ActionResult(false, "not requested", "could not send the retrain command: " + e.getMessage());
        }
    }

    private static ActionResult result(TuningLoop.ActionOutcome o) {
        return new ActionResult(o.ok(), o.status(), o.message());
    }
}
