package qp.job.training;

import qp.job.config.JobConfig;
import qp.job.config.JobOptions;

/** Maps the job options onto the training operators' settings; what no option covers keeps its default. */
public final class TrainingOptions {
    private TrainingOptions() {
    }

    /** @throws IllegalArgumentException naming the option when the sample's size or horizon is out of range */
    public static TrainingSettings settings(JobConfig c) {
        TrainingSettings d = TrainingSettings.defaults();
        RecommenderSettings r = d.recommender()
                .withLatencyTargetMicros(c.get(JobOptions.LATENCY_TARGET).toNanos() / 1000)
                .withFullConfidenceRows(c.get(JobOptions.TRAIN_SAMPLE_SIZE));
        TrainingSettings s = d.withRetrainIntervalMillis(c.get(JobOptions.RETRAIN_INTERVAL).toMillis())
                .withSample(c.get(JobOptions.MIN_TRAIN_SAMPLES), c.get(JobOptions.TRAIN_SAMPLE_SIZE))
                .withHorizonMillis(c.get(JobOptions.TRAIN_HORIZON).toMillis())
                .withR2Gate(c.get(JobOptions.R2_GATE))
                .withForest(c.get(JobOptions.FOREST_TREES), c.get(JobOptions.FOREST_DEPTH))
                .withAnomaly(c.get(JobOptions.ANOMALY_CONTAMINATION), d.anomalyHistoryWindows())
                .withRecommender(r);
        s.recentSample(); // checks --train-sample-size and --train-horizon
        return s;
    }
}
