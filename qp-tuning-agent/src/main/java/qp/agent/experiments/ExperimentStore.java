package qp.agent.experiments;

import java.util.List;
import java.util.Optional;
import qp.protocol.analytics.ExperimentStats;

/** The experiments the agent ran and the per-arm windows the job computed for them. */
public interface ExperimentStore {
    /** Inserts or replaces the row. */
    void save(Experiment e);

    Optional<Experiment> find(String id);

    /** The latest experiment of a recommendation, if any. */
    Optional<Experiment> forRecommendation(String recommendationId);

    /** Newest first; {@code nodeId} null for all nodes. */
    List<Experiment> list(String nodeId, int limit);

    /** Experiments on the node and parameter that ended at or after {@code sinceMs}, newest first. */
    List<Experiment> endedSince(String nodeId, String parameter, long sinceMs);

    /** The experiment's windows on the node that start at or after {@code fromStartMs}, oldest first. */
    List<ExperimentStats> windows(String experimentId, String nodeId, long fromStartMs);
}
