package qp.job.training;

import java.io.Serializable;

/**
 * Settings of the training operators.
 *
 * @param retrainIntervalMillis how often a node's latency model is retrained (processing time)
 * @param minNewRows            usable frames offered to the sample since the last training that a scheduled training
 *                              needs
 * @param sampleSize            rows kept per node at most ({@link RecentSample})
 * @param horizonMillis         event time a node's sample spans: the last this much of its traffic
 * @param r2Gate                held-out R² a model needs to be published
 * @param trees                 trees per forest
 * @param maxDepth              depth of each tree
 * @param tickMillis            how often each node's trainer looks for finished training and due work (processing time)
 * @param nodeIdleMillis        a node without input for this long is forgotten, its sample and model with it
 * @param seed                  seed of the train/test split and the forest
 * @param anomalyFalseAlarmShare share of a node's normal windows the anomaly model may flag: its false-alarm budget
 *                              per window (false alarms per hour × window seconds / 3600)
 * @param anomalyHistoryWindows window feature vectors kept per node for the anomaly model
 * @param recommender           what the model recommendations need
 */
public record TrainingSettings(long retrainIntervalMillis, int minNewRows, int sampleSize, long horizonMillis, double r2Gate, int trees,
        int maxDepth, long tickMillis, long nodeIdleMillis, long seed, double anomalyFalseAlarmShare,
        int anomalyHistoryWindows, RecommenderSettings recommender) implements Serializable {

    public static TrainingSettings defaults() {
        return new TrainingSettings(3_600_000, 1_000, 10_000, 600_000, 0.7, 30, 10, 1_000, 3_600_000, 42, 1.0 / 360, 360,
                RecommenderSettings.defaults());
    }

    public TrainingSettings withRetrainIntervalMillis(long v) {
        return new TrainingSettings(v, minNewRows, sampleSize, horizonMillis, r2Gate, trees, maxDepth, tickMillis, nodeIdleMillis,
                seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withSample(int minNew, int size) {
        return new TrainingSettings(retrainIntervalMillis, minNew, size, horizonMillis, r2Gate, trees, maxDepth, tickMillis,
                nodeIdleMillis, seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withHorizonMillis(long v) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, v, r2Gate, trees, maxDepth,
                tickMillis, nodeIdleMillis, seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withR2Gate(double v) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, horizonMillis, v, trees, maxDepth, tickMillis,
                nodeIdleMillis, seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withForest(int t, int depth) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, horizonMillis, r2Gate, t, depth, tickMillis,
                nodeIdleMillis, seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withTiming(long tick, long idle) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, horizonMillis, r2Gate, trees, maxDepth, tick, idle,
                seed, anomalyFalseAlarmShare, anomalyHistoryWindows, recommender);
    }

    public TrainingSettings withAnomaly(double falseAlarmShare, int historyWindows) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, horizonMillis, r2Gate, trees, maxDepth, tickMillis,
                nodeIdleMillis, seed, falseAlarmShare, historyWindows, recommender);
    }

    public TrainingSettings withRecommender(RecommenderSettings v) {
        return new TrainingSettings(retrainIntervalMillis, minNewRows, sampleSize, horizonMillis, r2Gate, trees, maxDepth, tickMillis,
                nodeIdleMillis, seed, anomalyFalseAlarmShare, anomalyHistoryWindows, v);
    }

    /** The sampler of a node's training rows. */
    public RecentSample recentSample() {
        return new RecentSample(sampleSize, horizonMillis);
    }

    public LatencyTrainer latencyTrainer() {
        return new TribuoForestTrainer(trees, maxDepth, seed);
    }
}
