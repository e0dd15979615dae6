package qp.protocol.analytics;

/**
 * Something in a node's traffic far from that node's own recent history: the record of topic {@code qp.anomalies},
 * keyed by node. One incident raises one anomaly (hysteresis), with the evidence that raised it.
 *
 * @param nodeId            the gateway node
 * @param type              the message type it concerns, or {@link WindowStats#ALL_TYPES}
 * @param kind              what kind of anomaly
 * @param severity          warning or critical
 * @param score             how many σ above the baseline mean (for TYPE_MIX_SHIFT: distance / threshold)
 * @param value             the observed value (p95 latency micros, a frame's latency micros, error rate, TV distance)
 * @param mean              the baseline mean of that value
 * @param sigma             the baseline standard deviation used (after its floor)
 * @param threshold         the value above which it counts as anomalous
 * @param windowStartMillis the window it was seen in (for a frame: the frame's event time)
 * @param windowEndMillis   end of that window (for a frame: its event time + 1)
 * @param detail            a sentence a person can read, with any further evidence
 */
public record Anomaly(
        String nodeId,
        String type,
        AnomalyKind kind,
        Severity severity,
        double score,
        double value,
        double mean,
        double sigma,
        double threshold,
        long windowStartMillis,
        long windowEndMillis,
        String detail) {
}
