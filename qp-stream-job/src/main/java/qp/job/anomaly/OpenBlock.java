package qp.job.anomaly;

/**
 * A block of event time whose frames are still arriving: the slowest of them so far, and whether one was a spike.
 *
 * @param slowestLog ln(latency) of the slowest frame so far
 * @param anomalous  whether a frame of the block was above the threshold
 */
public record OpenBlock(double slowestLog, boolean anomalous) {
    OpenBlock with(double log, boolean spike) {
        return new OpenBlock(Math.max(slowestLog, log), anomalous || spike);
    }
}
