package qp.protocol.experiments;

/**
 * What an experiment measures in each arm. Every one is lower-is-better and is a ratio of sums over
 * {@code qp.experiment-stats} cells, so that it can be summed over windows and buckets; the agent computes them.
 */
public enum ArmMetric {
    /** Outgoing wire bytes per raw payload byte: what compression saves. */
    WIRE_BYTES_PER_RAW_BYTE("wire_bytes_per_raw_byte", "outgoing wire bytes per raw byte"),
    /** Mean latency of outgoing STREAM frames (from the request to the frame written). */
    STREAM_LATENCY("stream_latency", "STREAM latency (mean us)"),
    /** Heartbeat frames the server sent per connection-minute. */
    HEARTBEATS_PER_CONNECTION_MINUTE("heartbeats_per_connection_minute", "heartbeats per connection-minute"),
    /** Connections refused (OVERLOADED) per minute of the arm. */
    REFUSALS_PER_MINUTE("refusals_per_minute", "refusals per minute"),
    /** Mean latency of the answered work (frames with a latency), refusals excluded. */
    ADMITTED_LATENCY("admitted_latency", "latency of admitted work (mean us)"),
    /** Share of frames whose outcome was an error. */
    ERROR_RATE("error_rate", "error rate"),
    /** 99th percentile latency, compared per stratum within the same windows (a guard). */
    LATENCY_P99("latency_p99", "p99 latency");

    private final String wire;
    private final String description;

    ArmMetric(String wire, String description) {
        this.wire = wire;
        this.description = description;
    }

    public String wire() {
        return wire;
    }

    public String description() {
        return description;
    }

    public static ArmMetric ofWire(String s) {
        for (ArmMetric m : values()) {
            if (m.wire.equals(s)) {
                return m;
            }
        }
        return null;
    }
}
