package qp.agent.tuning;

/**
 * One tumbling window of a node over all message types (from {@code qp.window-stats}), with the node's heartbeat
 * timeouts within it (from {@code qp.node-metrics}): what verification compares.
 */
public record WindowSample(
        long windowStartMs,
        long windowEndMs,
        long count,
        long bytes,
        double throughputPerSec,
        long errorCount,
        double latencyP95Micros,
        double latencyP99Micros,
        long heartbeatTimeouts) {
}
