package qp.agent.insight;

/**
 * What {@code stats} shows for one node (or the total). Traffic counts come from the node samples
 * ({@code qp.node-metrics}, one per second, complete); latency and error rate from the logged frames
 * ({@code message_log}, sampled), so they are exact over the frames the agent kept.
 *
 * @param uptimeSeconds   since the node's current instance first reported, to its latest sample (null: no samples)
 * @param framesIn        frames received in the range (integrated from the per-second samples)
 * @param messagesPerSec  mean frames in + out per second over the samples in the range
 * @param latencySamples  logged IN frames with a latency, which the latency figures are computed over
 * @param errorRate       logged IN frames whose outcome was not ok / logged IN frames (null: none logged)
 * @param connections     open connections at the latest sample (null: no samples)
 */
public record NodeStats(
        Long uptimeSeconds,
        long framesIn,
        long framesOut,
        long bytesIn,
        long bytesOut,
        double messagesPerSec,
        Double latencyAvgMicros,
        Long latencyP50Micros,
        Long latencyP95Micros,
        Long latencyP99Micros,
        Long latencyMaxMicros,
        long latencySamples,
        Double errorRate,
        Integer connections) {
}
