package qp.agent.operator;

/**
 * What an operator may do from the dashboard or the CLI. The agent implements it; every action is idempotent (a
 * second press reports the state it is already in) and lands in the store's history like the agent's own decisions,
 * with {@code actor} as who did it.
 */
public interface OperatorActions {

    /** Apply a recommendation the agent did not apply (advised, dry-run or rejected), through the same apply path. */
    ActionResult apply(String recommendationId, String actor);

    /** Reject a pending or advised recommendation, so that the agent never applies it. */
    ActionResult reject(String recommendationId, String actor, String reason);

    /** Restore the value an applied (or verified) recommendation replaced. */
    ActionResult rollback(String recommendationId, String actor);

    /** Ask the job to retrain now ({@code qp.control}); {@code nodeId} null for every node. */
    ActionResult retrain(String nodeId, String actor);

    /**
     * What became of an action.
     *
     * @param ok      true when the action was carried out or had already been
     * @param status  the optimization's status afterwards (or {@code requested} for a retrain)
     * @param message a sentence for the person who pressed
     */
    record ActionResult(boolean ok, String status, String message) {
    }
}
