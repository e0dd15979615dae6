package qp.job.training;

/**
 * A node's training bookkeeping in state (the sample itself is in {@link RecentSample}'s bucket table and rows).
 *
 * @param newRows             usable frames offered to the sample since the last training (admitted or not)
 * @param lastTrainedAtMillis processing time of the last training start (the node's first input if never)
 * @param lastInputAtMillis   processing time of the last input (for forgetting idle nodes)
 * @param skipLoggedAtMillis  processing time a skipped scheduled training was last logged (0 = not since training)
 * @param retrainRequested    a retrain command arrived: train at the next tick
 * @param heartbeatTimeouts   heartbeat timeouts in the node's samples since the last training
 * @param observedSeconds     per-second samples since the last training
 * @param versions            latency models trained so far (published or not): the next version number
 * @param publishedVersion    the version now published, or null
 * @param publishedR2         its held-out R²
 */
public record SampleProgress(long newRows, long lastTrainedAtMillis, long lastInputAtMillis, long skipLoggedAtMillis,
        boolean retrainRequested, long heartbeatTimeouts, long observedSeconds, long versions, String publishedVersion,
        double publishedR2) {

    public static SampleProgress start(long nowMillis) {
        return new SampleProgress(0, nowMillis, nowMillis, 0, false, 0, 0, 0, null, 0);
    }

    SampleProgress offered(long nowMillis) {
        return new SampleProgress(newRows + 1, lastTrainedAtMillis, nowMillis, skipLoggedAtMillis, retrainRequested,
                heartbeatTimeouts, observedSeconds, versions, publishedVersion, publishedR2);
    }

    SampleProgress sampled(long timeouts, long nowMillis) {
        return new SampleProgress(newRows, lastTrainedAtMillis, nowMillis, skipLoggedAtMillis, retrainRequested,
                heartbeatTimeouts + timeouts, observedSeconds + 1, versions, publishedVersion, publishedR2);
    }

    SampleProgress requested() {
        return new SampleProgress(newRows, lastTrainedAtMillis, lastInputAtMillis, skipLoggedAtMillis, true,
                heartbeatTimeouts, observedSeconds, versions, publishedVersion, publishedR2);
    }

    SampleProgress skipLogged(long nowMillis) {
        return new SampleProgress(newRows, lastTrainedAtMillis, lastInputAtMillis, nowMillis, retrainRequested,
                heartbeatTimeouts, observedSeconds, versions, publishedVersion, publishedR2);
    }

    SampleProgress trainingStarted(long nowMillis) {
        return new SampleProgress(0, nowMillis, lastInputAtMillis, 0, false, 0, 0, versions + 1, publishedVersion,
                publishedR2);
    }

    SampleProgress published(String version, double r2) {
        return new SampleProgress(newRows, lastTrainedAtMillis, lastInputAtMillis, skipLoggedAtMillis,
                retrainRequested, heartbeatTimeouts, observedSeconds, versions, version, r2);
    }
}
