package qp.job.training;

import java.io.Serializable;

/**
 * @param fullConfidenceRows         rows from which data volume no longer lowers confidence
 * @param minGain                    smallest predicted relative improvement worth proposing
 * @param heartbeatTimeoutsPerMinute timeouts per minute from which heartbeat_interval is raised
 * @param counterfactualRows         rows the what-if predictions are made on (a spread sample of the training rows)
 * @param minImprovement             {@code --min-improvement}: a proposal from measured effects states its confidence as
 *                                   the probability of improving by more than this
 */
public record RecommenderSettings(int fullConfidenceRows, double minGain, double heartbeatTimeoutsPerMinute,
        int counterfactualRows, double minImprovement) implements Serializable {

    public static RecommenderSettings defaults() {
        return new RecommenderSettings(10_000, 0.02, 1.0, 300, 0.2);
    }

    public RecommenderSettings withFullConfidenceRows(int v) {
        return new RecommenderSettings(v, minGain, heartbeatTimeoutsPerMinute, counterfactualRows, minImprovement);
    }

    public RecommenderSettings withMinImprovement(double v) {
        return new RecommenderSettings(fullConfidenceRows, minGain, heartbeatTimeoutsPerMinute, counterfactualRows, v);
    }
}
