package qp.protocol.params;

import java.util.EnumMap;
import java.util.Map;

/**
 * One set of values of the tunable parameters. {@link #OFF} (0) stands for "off" where a parameter allows it.
 */
public record TunableParams(
        long bufferSizeBytes,
        long heartbeatIntervalMs,
        long compressionThresholdBytes,
        long maxConnections,
        long maxFrameBytes) {

    public static final long OFF = 0;

    public static TunableParams defaults() {
        return new TunableParams(
                TunableParameter.BUFFER_SIZE.defaultValue(),
                TunableParameter.HEARTBEAT_INTERVAL.defaultValue(),
                TunableParameter.COMPRESSION_THRESHOLD.defaultValue(),
                TunableParameter.MAX_CONNECTIONS.defaultValue(),
                TunableParameter.MAX_FRAME_BYTES.defaultValue());
    }

    public long get(TunableParameter p) {
        return switch (p) {
            case BUFFER_SIZE -> bufferSizeBytes;
            case HEARTBEAT_INTERVAL -> heartbeatIntervalMs;
            case COMPRESSION_THRESHOLD -> compressionThresholdBytes;
            case MAX_CONNECTIONS -> maxConnections;
            case MAX_FRAME_BYTES -> maxFrameBytes;
        };
    }

    /** A copy with the given values replaced. */
    public TunableParams with(Map<TunableParameter, Long> changes) {
        Map<TunableParameter, Long> v = new EnumMap<>(TunableParameter.class);
        for (TunableParameter p : TunableParameter.values()) {
            v.put(p, changes.getOrDefault(p, get(p)));
        }
        return new TunableParams(v.get(TunableParameter.BUFFER_SIZE), v.get(TunableParameter.HEARTBEAT_INTERVAL),
                v.get(TunableParameter.COMPRESSION_THRESHOLD), v.get(TunableParameter.MAX_CONNECTIONS),
                v.get(TunableParameter.MAX_FRAME_BYTES));
    }

    public boolean compressionOn() {
        return compressionThresholdBytes != OFF;
    }
}
