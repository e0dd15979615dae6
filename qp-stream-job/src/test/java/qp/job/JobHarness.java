package qp.job;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import qp.job.config.JobConfig;
import qp.job.config.JobOptions;
import qp.job.io.Decoded;
import qp.job.io.JobSources;
import qp.job.io.KafkaSinks;
import qp.job.io.KafkaSources;
import qp.options.TypedOption;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;
import qp.broker.EmbeddedKafka;
import qp.testsupport.kafka.KafkaRecords;

/** Runs the real job (Kafka sources and sinks) on the test's MiniCluster, on topics of its own. */
final class JobHarness {
    final EmbeddedKafka kafka;
    final String id;
    final JobConfig config;

    private JobHarness(EmbeddedKafka kafka, String id, JobConfig config) {
        this.kafka = kafka;
        this.id = id;
        this.config = config;
    }

    /**
     * Short windows and timeouts so that tests take seconds; {@code extra} overrides any of them. The idle timeout
     * only decides how soon a silent partition is released: it is counted while the reader is caught up, so a
     * stalled or starved reader cannot release a partition early (QpJobKafkaTest's slow-reader test runs with 1 s).
     */
    static JobHarness create(EmbeddedKafka kafka, String id, int framePartitions, String... extra) {
        List<String> args = new ArrayList<>(List.of("--starting-offsets", "earliest",
                "--window-size", "1s", "--watermark-delay", "500ms", "--idle-timeout", "5s",
                "--checkpoint-interval", "500ms", "--parallelism", "2"));
        args.addAll(Arrays.asList(extra));
        return withOwnTopics(kafka, id, framePartitions, args);
    }

    /** The job's default options; only what a deployment must name (broker, topics, ids, checkpoint folder) is set. */
    static JobHarness createWithDefaults(EmbeddedKafka kafka, String id, int framePartitions) {
        return withOwnTopics(kafka, id, framePartitions, List.of());
    }

    private static JobHarness withOwnTopics(EmbeddedKafka kafka, String id, int framePartitions, List<String> options) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--group-id", id, "--transactional-id-prefix", id,
                "--frames-topic", id + ".frames", "--node-metrics-topic", id + ".node-metrics",
                "--window-stats-topic", id + ".window-stats", "--anomalies-topic", id + ".anomalies",
                "--bigrams-topic", id + ".bigrams", "--recommendations-topic", id + ".recommendations",
                "--trends-topic", id + ".trends",
                "--dlq-topic", id + ".dlq", "--late-frames-topic", id + ".late-frames",
                "--experiment-stats-topic", id + ".experiment-stats",
                "--checkpoint-dir", checkpointDir(id)));
        args.addAll(options);
        JobConfig config = JobConfig.parse(args.toArray(String[]::new));
        kafka.createTopics(config.get(JobOptions.FRAMES_TOPIC) + ":" + framePartitions,
                config.get(JobOptions.NODE_METRICS_TOPIC), config.get(JobOptions.WINDOW_STATS_TOPIC),
                config.get(JobOptions.ANOMALIES_TOPIC), config.get(JobOptions.BIGRAMS_TOPIC),
                config.get(JobOptions.RECOMMENDATIONS_TOPIC), config.get(JobOptions.TRENDS_TOPIC),
                config.get(JobOptions.DLQ_TOPIC),
                config.get(JobOptions.LATE_FRAMES_TOPIC), config.get(JobOptions.EXPERIMENT_STATS_TOPIC));
        return new JobHarness(kafka, id, config);
    }

    /** A fresh folder under target/ for the checkpoints of one harness, as a cluster's configured directory would be. */
    static String checkpointDir(String id) {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "checkpoints", id + "-" + System.nanoTime());
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.toAbsolutePath().toUri().toString();
    }

    String topic(TypedOption<String> option) {
        return config.get(option);
    }

    /** Starts the job; {@code restartAttempts} 0 means a failure fails the job (no endless retries). */
    JobClient start(int restartAttempts, UnaryOperator<DataStream<Decoded<FrameEvent>>> tap) throws Exception {
        return start(restartAttempts, tap, null);
    }

    /** Starts the job from a retained checkpoint (or savepoint) at {@code restorePath}, as a resumed deployment does. */
    JobClient startFrom(String restorePath) throws Exception {
        return start(0, UnaryOperator.identity(), restorePath);
    }

    private JobClient start(int restartAttempts, UnaryOperator<DataStream<Decoded<FrameEvent>>> tap, String restorePath)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        QpJob.configure(env, config);
        Configuration restart = new Configuration();
        if (restorePath != null) {
            restart.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        }
        if (restartAttempts == 0) {
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        }
        env.configure(restart);
        KafkaSources kafkaSources = new KafkaSources(config);
        JobSources sources = new JobSources() {
            @Override
            public DataStream<Decoded<FrameEvent>> frames(StreamExecutionEnvironment e,
                    WatermarkStrategy<Decoded<FrameEvent>> time) {
                return tap.apply(kafkaSources.frames(e, time));
            }

            @Override
            public DataStream<Decoded<NodeMetrics>> nodeMetrics(StreamExecutionEnvironment e,
                    WatermarkStrategy<Decoded<NodeMetrics>> time) {
                return kafkaSources.nodeMetrics(e, time);
            }

            @Override
            public DataStream<Decoded<ControlCommand>> control(StreamExecutionEnvironment e) {
                return kafkaSources.control(e);
            }
        };
        QpJob.of(config, sources, new KafkaSinks(config)).addTo(env);
        return env.executeAsync(id);
    }

    /** Runs a {@code --bounded} job to its end. */
    JobExecutionResult runToEnd(Duration timeout) throws Exception {
        return runToEnd(timeout, 0, UnaryOperator.identity());
    }

    JobExecutionResult runToEnd(Duration timeout, int restartAttempts,
            UnaryOperator<DataStream<Decoded<FrameEvent>>> tap) throws Exception {
        JobClient client = start(restartAttempts, tap);
        try {
            JobExecutionResult result = client.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            KafkaRecords.awaitNoOpenTransactions(kafka.bootstrapServers(), List.of(topic(JobOptions.WINDOW_STATS_TOPIC),
                    topic(JobOptions.ANOMALIES_TOPIC), topic(JobOptions.BIGRAMS_TOPIC),
                    topic(JobOptions.RECOMMENDATIONS_TOPIC), topic(JobOptions.TRENDS_TOPIC),
                    topic(JobOptions.DLQ_TOPIC), topic(JobOptions.LATE_FRAMES_TOPIC),
                    topic(JobOptions.EXPERIMENT_STATS_TOPIC)));
            return result;
        } catch (java.util.concurrent.TimeoutException e) {
            client.cancel().get(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    void sendFrames(List<FrameEvent> frames) {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = frames.stream()
                .map(f -> KafkaRecords.record(topic(JobOptions.FRAMES_TOPIC), f.connectionId(),
                        FrameEventCodec.encode(f))) // as gateways write them; LiveJobTest sends the JSON of older ones
                .toList();
        KafkaRecords.send(kafka.bootstrapServers(), topic(JobOptions.FRAMES_TOPIC), records);
    }

    void sendNodeMetrics(List<NodeMetrics> metrics) {
        String topic = topic(JobOptions.NODE_METRICS_TOPIC);
        KafkaRecords.send(kafka.bootstrapServers(), topic, metrics.stream()
                .map(m -> KafkaRecords.record(topic, m.nodeId(), NodeMetricsCodec.encode(m))).toList());
    }

    <T> List<T> readCommitted(TypedOption<String> topic, Class<T> type) {
        return KafkaRecords.readToEnd(kafka.bootstrapServers(), topic(topic), true).stream()
                .map(r -> parse(r, type)).toList();
    }

    List<ConsumerRecord<byte[], byte[]>> records(TypedOption<String> topic) {
        return KafkaRecords.readToEnd(kafka.bootstrapServers(), topic(topic), true);
    }

    /**
     * Read_committed, read again until at least {@code min} records are there: a transaction the job committed at its
     * end can take a moment to show (its markers are written after the commit returns). Fails after 60 s.
     */
    List<ConsumerRecord<byte[], byte[]>> recordsAtLeast(TypedOption<String> topic, int min) {
        return await("at least " + min + " records in " + topic(topic))
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> records(topic), r -> r.size() >= min);
    }

    static <T> T parse(ConsumerRecord<byte[], byte[]> r, Class<T> type) {
        try {
            return QpJson.read(r.value(), type);
        } catch (java.io.IOException e) {
            throw new AssertionError("output record is not a " + type.getSimpleName() + ": " + new String(r.value()), e);
        }
    }
}
