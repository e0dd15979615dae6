package qp.protocol.analytics;

import java.util.List;

/**
 * One node's frames under one running experiment in one event-time window, split by arm: the record of topic
 * {@code qp.experiment-stats}, keyed by node/experiment. Both arms are counted in the same window, so a shift of
 * load or mix reaches both alike; the strata (type, direction, payload band) let the agent compare like with like,
 * and the buckets (random groups of sessions, or switchback blocks) are the replicates of its interval.
 *
 * @param nodeId            the gateway node
 * @param experimentId      the experiment the frames ran under
 * @param windowStartMillis window start, inclusive, epoch millis
 * @param windowEndMillis   window end, exclusive
 * @param cells             additive sums per arm, bucket and stratum (only cells that saw frames)
 * @param latency           latency percentiles per arm and stratum, over all buckets (DDSketch, 1% relative error)
 * @param units             sessions seen per arm and bucket in the window (for rates per connection-minute)
 */
public record ExperimentStats(
        String nodeId,
        String experimentId,
        long windowStartMillis,
        long windowEndMillis,
        List<Cell> cells,
        List<Latency> latency,
        List<Units> units) {

    /**
     * Sums of one arm, bucket and stratum.
     *
     * @param arm              {@code control} or {@code treatment}
     * @param bucket           session experiments: the session's bucket (0..7); switchback: the block number
     * @param type             message type
     * @param direction        {@code IN} or {@code OUT}
     * @param band             payload band of the raw payload ({@code small}, {@code medium}, {@code large})
     * @param frames           frames
     * @param wireBytes        wire bytes
     * @param rawBytes         raw (decompressed) payload bytes
     * @param errors           frames whose outcome was not ok
     * @param refusals         frames whose outcome was OVERLOADED (connections refused)
     * @param latencyFrames    frames with a latency
     * @param latencySumMicros sum of their latencies
     */
    public record Cell(
            String arm,
            long bucket,
            String type,
            String direction,
            String band,
            long frames,
            long wireBytes,
            long rawBytes,
            long errors,
            long refusals,
            long latencyFrames,
            long latencySumMicros) {
    }

    /** Latency percentiles of one arm and stratum (frames with a latency only). */
    public record Latency(
            String arm,
            String type,
            String direction,
            String band,
            long samples,
            double p50Micros,
            double p95Micros,
            double p99Micros) {
    }

    /** Distinct sessions of one arm and bucket that had frames in the window. */
    public record Units(String arm, long bucket, long sessions) {
    }

    public long windowLengthMillis() {
        return windowEndMillis - windowStartMillis;
    }
}
