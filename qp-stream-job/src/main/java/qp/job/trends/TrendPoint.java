package qp.job.trends;

import java.util.Map;

/** What a trend keeps of one tumbling window of a node. */
public record TrendPoint(long windowStartMillis, long windowEndMillis, long count, double throughputPerSec,
        long latencySamples, double latencyP95Micros, double payloadMeanBytes, double payloadP95Bytes,
        Map<String, Long> payloadSizeHistogram) {
}
