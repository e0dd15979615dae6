package qp.job.training;

/**
 * A node's anomaly-model bookkeeping in state.
 *
 * @param windows             window vectors in the history (at most the configured number)
 * @param newWindows          windows that arrived since the last training (a model is not retrained without any)
 * @param versions            models trained so far: the next version number
 * @param lastTrainedAtMillis processing time of the last training start, or of the last skipped one (0 = never)
 * @param lastInputAtMillis   processing time of the last window (for forgetting idle nodes)
 * @param publishedVersion    the version in force, or null
 * @param retrainRequested    a retrain command arrived: train at the next tick (when there are new windows)
 */
public record AnomalyProgress(int windows, int newWindows, long versions, long lastTrainedAtMillis,
        long lastInputAtMillis, String publishedVersion, boolean retrainRequested) {

    static AnomalyProgress start(long now) {
        return new AnomalyProgress(0, 0, 0, 0, now, null, false);
    }

    AnomalyProgress window(int history, long now) {
        return new AnomalyProgress(history, newWindows + 1, versions, lastTrainedAtMillis, now, publishedVersion,
                retrainRequested);
    }

    AnomalyProgress trainingStarted(long now) {
        return new AnomalyProgress(windows, 0, versions + 1, now, lastInputAtMillis, publishedVersion, false);
    }

    /** A due training was skipped (no new windows): the next look is one interval later. */
    AnomalyProgress skipped(long now) {
        return new AnomalyProgress(windows, newWindows, versions, now, lastInputAtMillis, publishedVersion, false);
    }

    AnomalyProgress requested() {
        return new AnomalyProgress(windows, newWindows, versions, lastTrainedAtMillis, lastInputAtMillis,
                publishedVersion, true);
    }

    AnomalyProgress published(String version) {
        return new AnomalyProgress(windows, newWindows, versions, lastTrainedAtMillis, lastInputAtMillis, version,
                retrainRequested);
    }
}
