package qp.agent.tuning;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import qp.protocol.analytics.Recommendation;

/** Every recommendation the agent saw and what became of it, with the history of each status change. */
public interface LedgerStore {
    /** Records a recommendation as pending unless its id is already known; true when it was new. */
    boolean recordSeen(Recommendation r, long nowMs);

    Optional<Optimization> find(String recommendationId);

    /** Those in any of the statuses, oldest first. */
    List<Optimization> withStatus(Status... statuses);

    /** Writes the row; when its status differs from the stored one, also an {@code optimization_events} row. */
    void save(Optimization o);

    /** When the node's parameter last changed through the agent (applied or rolled back), if ever. */
    OptionalLong lastChangeAt(String nodeId, String parameter);

    /** The recommendations for the node's parameter seen at or after {@code sinceMs}, oldest first. */
    List<Optimization> seenSince(String nodeId, String parameter, long sinceMs);

    /** The node's change in flight (applying or applied), if any. */
    Optional<Optimization> inFlight(String nodeId);
}
