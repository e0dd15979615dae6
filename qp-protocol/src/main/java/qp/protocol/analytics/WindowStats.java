package qp.protocol.analytics;

import java.util.Map;

/**
 * Statistics of one node's frames in one event-time window: the record of topic {@code qp.window-stats}, keyed by
 * node/type. Percentiles come from a DDSketch (relative error at most 1%).
 *
 * @param nodeId             the gateway node
 * @param type               the message type, or {@link #ALL_TYPES} for the row over all types of the node
 * @param view               tumbling (what detectors read) or the sliding view
 * @param windowStartMillis  window start, inclusive, epoch millis
 * @param windowEndMillis    window end, exclusive, epoch millis
 * @param count              frames in the window
 * @param bytes              wire bytes of those frames
 * @param throughputPerSec   frames per second over the window length
 * @param bytesPerSec        wire bytes per second over the window length
 * @param errorCount         frames whose outcome was not {@code ok}
 * @param errorRate          errorCount / count
 * @param latencySamples     frames with a latency (latencyMicros &gt; 0); frames without a reply carry none
 * @param latencyP50Micros   median latency of those frames, 0 when there are none
 * @param latencyP95Micros   95th percentile latency
 * @param latencyP99Micros   99th percentile latency
 * @param latencyMaxMicros   largest latency, exact
 * @param payloadMeanBytes   mean raw payload size (after decompression)
 * @param payloadStddevBytes population standard deviation of the raw payload size
 * @param payloadP95Bytes    95th percentile raw payload size
 * @param payloadMaxBytes    largest raw payload size, exact
 * @param typeMix            frames per message type; filled on the {@link #ALL_TYPES} row, empty on per-type rows
 * @param payloadSizeHistogram frames per raw payload size bucket ({@link PayloadSizeBuckets}), exact counts
 * @param latencySketch      the DDSketch the latency percentiles were read from, base64 of {@link SketchCodec}'s
 *                           encoding: windows are merged by merging these, never by averaging their percentiles;
 *                           null from producers that send none
 */
public record WindowStats(
        String nodeId,
        String type,
        WindowView view,
        long windowStartMillis,
        long windowEndMillis,
        long count,
        long bytes,
        double throughputPerSec,
        double bytesPerSec,
        long errorCount,
        double errorRate,
        long latencySamples,
        double latencyP50Micros,
        double latencyP95Micros,
        double latencyP99Micros,
        long latencyMaxMicros,
        double payloadMeanBytes,
        double payloadStddevBytes,
        double payloadP95Bytes,
        long payloadMaxBytes,
        Map<String, Long> typeMix,
        Map<String, Long> payloadSizeHistogram,
        String latencySketch) {

    /** The {@link #type} of the row over all message types of a node. */
    public static final String ALL_TYPES = "*";

    public boolean isAllTypes() {
        return ALL_TYPES.equals(type);
    }

    public long windowLengthMillis() {
        return windowEndMillis - windowStartMillis;
    }
}
