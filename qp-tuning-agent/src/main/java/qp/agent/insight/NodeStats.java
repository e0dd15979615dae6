package qp.agent.insight;

/**
 * What {@code stats} shows for one node (or the total). Traffic counts come from the node samples
 * ({@code qp.node-metrics}, one per second, complete); latency and error rate from the job's tumbling windows over all
 * types that end in the range ({@code qp.window-stats}, every frame of every connection): the windows' latency
 * DDSketches merged, so that p50/p95/p99 are within {@code latencyRelativeAccuracy} of the exact value.
 *
 * @param uptimeSeconds           since the node's current instance first reported, to its latest sample (null: no samples)
 * @param framesIn                frames received in the range (integrated from the per-second samples)
 * @param messagesPerSec          mean frames in + out per second over the samples in the range
 * @param latencyAvgMicros        mean latency, from the merged sketch (within its relative accuracy)
 * @param latencyMaxMicros        largest latency of the merged windows, exact
 * @param latencySamples          frames with a latency in the merged windows, which the latency figures cover
 * @param latencyWindows          windows whose sketches are merged
 * @param latencyWindowsLeftOut   windows in the range left out of the latency figures: without a sketch (from before
 *                                the job published them), unreadable, or of another sketch accuracy
 * @param latencyRelativeAccuracy the merged sketch's guarantee for p50/p95/p99 (0.005: within 0.5%); null: none
 * @param windowFrames            frames in the windows of the range, the error rate's denominator
 * @param errorRate               errors / frames over the windows of the range (null: no window)
 * @param connections             open connections at the latest sample (null: no samples)
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
        long latencyWindows,
        long latencyWindowsLeftOut,
        Double latencyRelativeAccuracy,
        long windowFrames,
        Double errorRate,
        Integer connections) {
}
