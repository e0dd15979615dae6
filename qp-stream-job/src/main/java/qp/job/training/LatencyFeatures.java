package qp.job.training;

import java.util.List;

/**
 * The latency model's features, with the names every report uses. {@code message_type} is categorical; a trainer
 * encodes it as it needs to (one-hot for trees). {@link #value} reads one numeric feature of a row.
 */
public final class LatencyFeatures {
    private LatencyFeatures() {
    }

    public static final String MESSAGE_TYPE = "message_type";
    public static final String PAYLOAD_SIZE = "payload_size";
    public static final String COMPRESSED = "compressed";
    public static final String THROUGHPUT = "throughput";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String CONNECTIONS = "connections";
    public static final String BUFFER_SIZE = "buffer_size";
    public static final String HEARTBEAT_INTERVAL = "heartbeat_interval";
    public static final String COMPRESSION_THRESHOLD = "compression_threshold";
    public static final String MAX_CONNECTIONS = "max_connections";
    public static final String MAX_FRAME_BYTES = "max_frame_bytes";

    /** The numeric features, in a fixed order. */
    public static final List<String> NUMERIC = List.of(PAYLOAD_SIZE, COMPRESSED, THROUGHPUT, CPU, MEMORY, CONNECTIONS,
            BUFFER_SIZE, HEARTBEAT_INTERVAL, COMPRESSION_THRESHOLD, MAX_CONNECTIONS, MAX_FRAME_BYTES);

    /** Every feature name a report lists, the categorical one first. */
    public static final List<String> ALL = List.of(MESSAGE_TYPE, PAYLOAD_SIZE, COMPRESSED, THROUGHPUT, CPU, MEMORY,
            CONNECTIONS, BUFFER_SIZE, HEARTBEAT_INTERVAL, COMPRESSION_THRESHOLD, MAX_CONNECTIONS, MAX_FRAME_BYTES);

    public static double value(TrainingRow r, String feature) {
        return switch (feature) {
            case PAYLOAD_SIZE -> r.payloadSize();
            case COMPRESSED -> r.compressed() ? 1 : 0;
            case THROUGHPUT -> r.throughput();
            case CPU -> r.cpu();
            case MEMORY -> r.memory();
            case CONNECTIONS -> r.connections();
            case BUFFER_SIZE -> r.bufferSize();
            case HEARTBEAT_INTERVAL -> r.heartbeatInterval();
            case COMPRESSION_THRESHOLD -> r.compressionThreshold();
            case MAX_CONNECTIONS -> r.maxConnections();
            case MAX_FRAME_BYTES -> r.maxFrameBytes();
            default -> throw new IllegalArgumentException("not a numeric feature: " + feature);
        };
    }

    /** A copy of {@code r} with one feature taken from {@code donor} (permutation importance). */
    public static TrainingRow swap(TrainingRow r, TrainingRow donor, String feature) {
        return new TrainingRow(
                feature.equals(MESSAGE_TYPE) ? donor.messageType() : r.messageType(),
                feature.equals(PAYLOAD_SIZE) ? donor.payloadSize() : r.payloadSize(),
                r.wireBytes(),
                feature.equals(COMPRESSED) ? donor.compressed() : r.compressed(),
                feature.equals(THROUGHPUT) ? donor.throughput() : r.throughput(),
                feature.equals(CPU) ? donor.cpu() : r.cpu(),
                feature.equals(MEMORY) ? donor.memory() : r.memory(),
                feature.equals(CONNECTIONS) ? donor.connections() : r.connections(),
                feature.equals(BUFFER_SIZE) ? donor.bufferSize() : r.bufferSize(),
                feature.equals(HEARTBEAT_INTERVAL) ? donor.heartbeatInterval() : r.heartbeatInterval(),
                feature.equals(COMPRESSION_THRESHOLD) ? donor.compressionThreshold() : r.compressionThreshold(),
                feature.equals(MAX_CONNECTIONS) ? donor.maxConnections() : r.maxConnections(),
                feature.equals(MAX_FRAME_BYTES) ? donor.maxFrameBytes() : r.maxFrameBytes(),
                r.paramVersion(), r.latencyMicros(), r.eventTimeMillis());
    }
}
