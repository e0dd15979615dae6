package qp.gateway.events;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * @param bootstrapServers    Kafka bootstrap servers, e.g. {@code localhost:9092}
 * @param framesTopic         topic for frame events ({@code qp.frames})
 * @param nodeMetricsTopic    topic for node samples ({@code qp.node-metrics})
 * @param spoolDir            directory of the on-disk spool used while Kafka is unreachable
 * @param spoolMaxBytes       bound of the spool on disk; past it events are dropped and counted
 * @param memoryQueueCapacity events held in memory before they are sent or spooled
 * @param kafkaStallTimeout   an event unacknowledged for this long means Kafka is away: what is in flight is spooled
 * @param probeInterval       while Kafka is away, how often to ask whether it is back
 * @param closeTimeout        how long {@code close()} may take to hand what is in memory to Kafka or the spool
 * @param producerOverrides   extra Kafka producer properties, applied over the emitter's defaults
 * @param eventFormat         how event values are written: binary (the default) or the JSON of older readers
 */
public record KafkaEmitterConfig(
        String bootstrapServers,
        String framesTopic,
        String nodeMetricsTopic,
        Path spoolDir,
        long spoolMaxBytes,
        int memoryQueueCapacity,
        Duration kafkaStallTimeout,
        Duration probeInterval,
        Duration closeTimeout,
        Map<String, Object> producerOverrides,
        EventFormat eventFormat) {

    public static final Duration DEFAULT_KAFKA_STALL_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    public KafkaEmitterConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(framesTopic, "framesTopic");
        Objects.requireNonNull(nodeMetricsTopic, "nodeMetricsTopic");
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (spoolMaxBytes <= 0) {
            throw new IllegalArgumentException("spoolMaxBytes must be positive, was " + spoolMaxBytes);
        }
        if (memoryQueueCapacity <= 0) {
            throw new IllegalArgumentException("memoryQueueCapacity must be positive, was " + memoryQueueCapacity);
        }
        requirePositive("kafkaStallTimeout", kafkaStallTimeout);
        requirePositive("probeInterval", probeInterval);
        requirePositive("closeTimeout", closeTimeout);
        producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
        Objects.requireNonNull(eventFormat, "eventFormat");
    }

    /** Events in the binary encoding. */
    public KafkaEmitterConfig(String bootstrapServers, String framesTopic, String nodeMetricsTopic, Path spoolDir,
            long spoolMaxBytes, int memoryQueueCapacity, Duration kafkaStallTimeout, Duration probeInterval,
            Duration closeTimeout, Map<String, Object> producerOverrides) {
        this(bootstrapServers, framesTopic, nodeMetricsTopic, spoolDir, spoolMaxBytes, memoryQueueCapacity,
                kafkaStallTimeout, probeInterval, closeTimeout, producerOverrides, EventFormat.BINARY);
    }

    /** The configuration the gateway builds from its own settings; timeouts and producer take their defaults. */
    public KafkaEmitterConfig(String bootstrapServers, String framesTopic, String nodeMetricsTopic, Path spoolDir,
            long spoolMaxBytes, int memoryQueueCapacity) {
        this(bootstrapServers, framesTopic, nodeMetricsTopic, spoolDir, spoolMaxBytes, memoryQueueCapacity,
                DEFAULT_KAFKA_STALL_TIMEOUT, DEFAULT_PROBE_INTERVAL, DEFAULT_CLOSE_TIMEOUT, Map.of());
    }

    public KafkaEmitterConfig withTimeouts(Duration kafkaStallTimeout, Duration probeInterval, Duration closeTimeout) {
        return new KafkaEmitterConfig(bootstrapServers, framesTopic, nodeMetricsTopic, spoolDir, spoolMaxBytes,
                memoryQueueCapacity, kafkaStallTimeout, probeInterval, closeTimeout, producerOverrides, eventFormat);
    }

    public KafkaEmitterConfig withProducerOverrides(Map<String, Object> overrides) {
        return new KafkaEmitterConfig(bootstrapServers, framesTopic, nodeMetricsTopic, spoolDir, spoolMaxBytes,
                memoryQueueCapacity, kafkaStallTimeout, probeInterval, closeTimeout, overrides, eventFormat);
    }

    public KafkaEmitterConfig withEventFormat(EventFormat format) {
        return new KafkaEmitterConfig(bootstrapServers, framesTopic, nodeMetricsTopic, spoolDir, spoolMaxBytes,
                memoryQueueCapacity, kafkaStallTimeout, probeInterval, closeTimeout, producerOverrides, format);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
