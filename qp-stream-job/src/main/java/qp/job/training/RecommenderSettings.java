package qp.job.training;

import java.io.Serializable;

/**
 * @param latencyTargetMicros        the predicted p95 that max_connections is sized under ({@code --slo-p99})
 * @param fullConfidenceRows         rows from which data volume no longer lowers confidence
 * @param minGain                    smallest predicted relative improvement worth proposing
 * @param heartbeatTimeoutsPerMinute timeouts per minute from which heartbeat_interval is raised
 * @param counterfactualRows         rows the what-if predictions are made on (a spread sample of the training rows)
 */
public record RecommenderSettings(long latencyTargetMicros, int fullConfidenceRows, double minGain,
        double heartbeatTimeoutsPerMinute, int counterfactualRows) implements Serializable {

    public static RecommenderSettings defaults() {
        return new RecommenderSettings(50_000, 10_000, 0.02, 1.0, 300);
    }

    public RecommenderSettings withLatencyTargetMicros(long v) {
        return new RecommenderSettings(v, fullConfidenceRows, minGain, heartbeatTimeoutsPerMinute, counterfactualRows);
    }

    public RecommenderSettings withFullConfidenceRows(int v) {
        return new RecommenderSettings(latencyTargetMicros, v, minGain, heartbeatTimeoutsPerMinute, counterfactualRows);
    }
}
