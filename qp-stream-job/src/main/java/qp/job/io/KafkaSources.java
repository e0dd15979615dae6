package qp.job.io;

import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** The job's Kafka sources: frame events and node samples in binary or JSON, control commands in JSON; a bad record never fails the job (it becomes a dead letter). */
public final class KafkaSources implements JobSources {
    /**
     * One reader per topic: its one consumer fetches every partition together, so that being caught up (which is
     * what lets SplitIdleness release a partition) covers every partition of the topic. With several readers, each would
     * prove only its own partitions caught up, and one with no partition (or none fetched yet) could be idle as a
     * whole and let the others move the downstream watermark on without it. Decoding in one reader keeps well ahead of the analytics (see
     * BENCHMARKS.md).
     */
    static final int READERS = 1;

    private final JobConfig config;

    public KafkaSources(JobConfig config) {
        this.config = config;
    }

    @Override
    public DataStream<Decoded<FrameEvent>> frames(StreamExecutionEnvironment env,
            WatermarkStrategy<Decoded<FrameEvent>> time) {
        KafkaSource<Decoded<FrameEvent>> source = source(config.get(JobOptions.FRAMES_TOPIC),
                SafeDeserializer.frames());
        return env.fromSource(EventTime.track(source, source.getProducedType(), time), time, "frames-source")
                .uid("frames-source").setParallelism(READERS);
    }

    @Override
    public DataStream<Decoded<NodeMetrics>> nodeMetrics(StreamExecutionEnvironment env,
            WatermarkStrategy<Decoded<NodeMetrics>> time) {
        KafkaSource<Decoded<NodeMetrics>> source = source(config.get(JobOptions.NODE_METRICS_TOPIC),
                SafeDeserializer.nodeMetrics());
        return env.fromSource(EventTime.track(source, source.getProducedType(), time), time, "node-metrics-source")
                .uid("node-metrics-source").setParallelism(READERS);
    }

    /** Not in bounded runs: a replay has nothing to be told, and a bounded source needs its topic to exist. */
    @Override
    public DataStream<Decoded<ControlCommand>> control(StreamExecutionEnvironment env) {
        if (config.get(JobOptions.BOUNDED)) {
            return null;
        }
        KafkaSource<Decoded<ControlCommand>> source = source(config.get(JobOptions.CONTROL_TOPIC),
                SafeDeserializer.json(ControlCommand.class, RecordCheck.control(), QpTypes.DECODED_CONTROL));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "control-source").uid("control-source");
    }

    private <T> KafkaSource<Decoded<T>> source(String topic, SafeDeserializer<T> deserializer) {
        KafkaSourceBuilder<Decoded<T>> b = KafkaSource.<Decoded<T>>builder()
                .setBootstrapServers(config.get(JobOptions.BOOTSTRAP_SERVERS))
                .setGroupId(config.get(JobOptions.GROUP_ID))
                .setClientIdPrefix(config.get(JobOptions.GROUP_ID) + "-" + topic)
                .setDeserializer(deserializer)
                .setStartingOffsets(switch (config.get(JobOptions.STARTING_OFFSETS)) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                })
                // Sinks write transactionally; read only committed data from topics that others write that way too.
                .setProperty("isolation.level", "read_committed")
                // Smaller fetches per partition (default 1 MB) interleave the partitions of a backlog more finely, so a
                // partition's first records come soon after the others' and well within its idle timeout.
                .setProperty("max.partition.fetch.bytes", String.valueOf(256 * 1024));
        if (config.get(JobOptions.BOUNDED)) {
            // The topic must exist: a bounded source on a pattern that matches nothing never finishes.
            b.setTopics(topic).setBounded(OffsetsInitializer.latest());
        } else {
            // A pattern, not a list: the job may start before the gateways have created the topics; it finds them
            // (and added partitions) by discovery instead of failing on an unknown topic.
            b.setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                    .setProperty("partition.discovery.interval.ms", "10000");
        }
        return b.build();
    }
}
