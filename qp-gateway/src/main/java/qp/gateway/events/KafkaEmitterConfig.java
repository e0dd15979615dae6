package qp.gateway.events;

import java.nio.file.Path;

/**
 * @param bootstrapServers    Kafka bootstrap servers, e.g. {@code localhost:9092}
 * @param framesTopic         topic for frame events ({@code qp.frames})
 * @param nodeMetricsTopic    topic for node samples ({@code qp.node-metrics})
 * @param spoolDir            directory of the on-disk spool used while Kafka is unreachable
 * @param spoolMaxBytes       bound of the spool on disk; past it events are dropped and counted
 * @param memoryQueueCapacity events held in memory before they are sent or spooled
 */
public record KafkaEmitterConfig(
        String bootstrapServers,
        String framesTopic,
        String nodeMetricsTopic,
        Path spoolDir,
        long spoolMaxBytes,
        int memoryQueueCapacity) {
}
