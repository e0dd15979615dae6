package qp.protocol.analytics;

import java.util.Map;

/**
 * The direction of one node's traffic over its recent windows (least-squares slope over the last N tumbling windows).
 *
 * @param windows                     how many windows the slopes were fitted on
 * @param fromMillis                  start of the first of them
 * @param toMillis                    end of the last of them
 * @param throughputPerSec            throughput of the last window
 * @param throughputSlopePerMin       change of throughput (frames/s) per minute
 * @param throughputTrend             the slope relative to the mean, classified
 * @param latencyP95Micros            p95 latency of the last window
 * @param latencyP95SlopeMicrosPerMin change of p95 latency (micros) per minute
 * @param latencyTrend                the slope relative to the mean, classified
 * @param payloadMeanBytes            mean payload size over the windows (frame-weighted)
 * @param payloadP95Bytes             p95 payload size of the last window
 * @param payloadSizeHistogram        frames per payload size bucket ({@link PayloadSizeBuckets}) over the windows
 */
public record TrendReport(
        String nodeId,
        int windows,
        long fromMillis,
        long toMillis,
        double throughputPerSec,
        double throughputSlopePerMin,
        Trend throughputTrend,
        double latencyP95Micros,
        double latencyP95SlopeMicrosPerMin,
        Trend latencyTrend,
        double payloadMeanBytes,
        double payloadP95Bytes,
        Map<String, Long> payloadSizeHistogram) {

    /** A slope classified against the series' mean. */
    public enum Trend {
        FALLING,
        FLAT,
        RISING
    }
}
