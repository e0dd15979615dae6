package qp.job.anomaly;

/**
 * A block of event time whose frames are still arriving: the slowest of them so far, and whether one was a spike.
 *
 * @param slowestLog ln(latency) of the slowest frame so far
 * @param anomalous  whether a frame of the block was above the threshold
 */
public record OpenBlock(double slowestLog, boolean anomalous) {
    /** This block with one more frame; itself when the frame changes nothing (most frames are not the slowest). */
    OpenBlock with(double log, boolean spike) {
        if (log <= slowestLog && (anomalous || !spike)) {
            return this;
        }
        return new OpenBlock(Math.max(slowestLog, log), anomalous || spike);
    }
}
