package qp.job.training;

/**
 * A node's anomaly-model bookkeeping in state.
 *
 * @param windows             window vectors in the history (at most the configured number)
 * @param versions            models trained so far: the next version number
 * @param lastTrainedAtMillis processing time of the last training start (0 = never)
 * @param lastInputAtMillis   processing time of the last window (for forgetting idle nodes)
 * @param publishedVersion    the version in force, or null
 */
public record AnomalyProgress(int windows, long versions, long lastTrainedAtMillis, long lastInputAtMillis,
        String publishedVersion) {

    AnomalyProgress window(int history, long now) {
        return new AnomalyProgress(history, versions, lastTrainedAtMillis, now, publishedVersion);
    }

    AnomalyProgress trainingStarted(long now) {
        return new AnomalyProgress(windows, versions + 1, now, lastInputAtMillis, publishedVersion);
    }

    AnomalyProgress published(String version) {
        return new AnomalyProgress(windows, versions, lastTrainedAtMillis, lastInputAtMillis, version);
    }
}
