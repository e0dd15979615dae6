package qp.job.training;

/**
 * A node's training bookkeeping in state.
 *
 * @param admitted            rows ever admitted to the sample (the next ring slot is admitted % sampleSize)
 * @param newRows             rows admitted since the last training
 * @param offeredSinceTraining usable frames offered since the last training (admitted or not)
 * @param offeredLastInterval usable frames offered in the interval before: sets the admission rate
 * @param lastTrainedAtMillis processing time of the last training start (0 = never)
 * @param lastInputAtMillis   processing time of the last input (for forgetting idle nodes)
 * @param retrainRequested    a retrain command arrived: train at the next tick
 * @param heartbeatTimeouts   heartbeat timeouts in the node's samples since the last training
 * @param observedSeconds     per-second samples since the last training
 * @param versions            latency models trained so far (published or not): the next version number
 * @param publishedVersion    the version now published, or null
 * @param publishedR2         its held-out R²
 */
public record SampleProgress(long admitted, long newRows, long offeredSinceTraining, long offeredLastInterval,
        long lastTrainedAtMillis, long lastInputAtMillis, boolean retrainRequested, long heartbeatTimeouts,
        long observedSeconds, long versions, String publishedVersion, double publishedR2) {

    public static SampleProgress start(long nowMillis) {
        return new SampleProgress(0, 0, 0, 0, nowMillis, nowMillis, false, 0, 0, 0, null, 0);
    }

    SampleProgress offered(boolean admittedRow, long nowMillis) {
        return new SampleProgress(admitted + (admittedRow ? 1 : 0), newRows + (admittedRow ? 1 : 0),
                offeredSinceTraining + 1, offeredLastInterval, lastTrainedAtMillis, nowMillis, retrainRequested,
                heartbeatTimeouts, observedSeconds, versions, publishedVersion, publishedR2);
    }

    SampleProgress sampled(long timeouts, long nowMillis) {
        return new SampleProgress(admitted, newRows, offeredSinceTraining, offeredLastInterval, lastTrainedAtMillis,
                nowMillis, retrainRequested, heartbeatTimeouts + timeouts, observedSeconds + 1, versions,
                publishedVersion, publishedR2);
    }

    SampleProgress requested() {
        return new SampleProgress(admitted, newRows, offeredSinceTraining, offeredLastInterval, lastTrainedAtMillis,
                lastInputAtMillis, true, heartbeatTimeouts, observedSeconds, versions, publishedVersion, publishedR2);
    }

    SampleProgress trainingStarted(long nowMillis) {
        return new SampleProgress(admitted, 0, 0, offeredSinceTraining, nowMillis, lastInputAtMillis, false, 0, 0,
                versions + 1, publishedVersion, publishedR2);
    }

    SampleProgress published(String version, double r2) {
        return new SampleProgress(admitted, newRows, offeredSinceTraining, offeredLastInterval, lastTrainedAtMillis,
                lastInputAtMillis, retrainRequested, heartbeatTimeouts, observedSeconds, versions, version, r2);
    }
}
