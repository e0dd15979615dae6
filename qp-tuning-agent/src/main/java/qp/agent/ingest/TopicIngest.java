package qp.agent.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.store.AnalyticsWriter;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.agent.topics.TopicValues;
import qp.protocol.json.QpJson;

/**
 * Reads the gateways' and the job's topics into the store, for the experiments, the CLI and the dashboard: frame
 * events (sampled by connection), node samples, window stats, anomalies, bigrams, models and per-arm experiment
 * windows. Read with
 * {@code isolation.level=read_committed} (the job writes its topics in transactions); offsets are committed only after
 * the batch is in the store, so a crash re-reads rather than loses. A record that cannot be read is logged with its
 * topic, partition and offset and skipped, not retried for ever.
 */
public final class TopicIngest implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicIngest.class);
    private static final long PRUNE_EVERY_MS = 60_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AnalyticsWriter writer;
    private final Clock clock;
    private final AgentConfig config;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private long lastPruneMs;

    public TopicIngest(AgentConfig config, AnalyticsWriter writer, Clock clock) {
        this.config = config;
        this.writer = writer;
        this.clock = clock;
        Properties p = AgentConsumers.properties(config, "store");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.get(AgentOptions.FRAMES_TOPIC), config.get(AgentOptions.NODE_METRICS_TOPIC),
                config.get(AgentOptions.WINDOW_STATS_TOPIC), config.get(AgentOptions.ANOMALIES_TOPIC),
                config.get(AgentOptions.BIGRAMS_TOPIC), config.get(AgentOptions.MODELS_TOPIC),
                config.get(AgentOptions.EXPERIMENT_STATS_TOPIC)));
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                pollOnce(Duration.ofMillis(500));
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** One poll: decode, write in one transaction, commit the offsets; prune now and then. */
    public int pollOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long now = clock.millis();
        if (!records.isEmpty()) {
            AnalyticsWriter.Batch b = decode(records);
            writer.write(b, now);
            consumer.commitSync();
            written.addAndGet(b.size());
        }
        if (now - lastPruneMs >= PRUNE_EVERY_MS) {
            writer.prune(now - config.get(AgentOptions.MESSAGE_LOG_RETENTION).toMillis(),
                    now - config.get(AgentOptions.METRICS_RETENTION).toMillis());
            lastPruneMs = now;
        }
        return records.count();
    }

    private AnalyticsWriter.Batch decode(ConsumerRecords<byte[], byte[]> records) {
        List<FrameEvent> frames = new ArrayList<>();
        List<WindowStats> windows = new ArrayList<>();
        List<NodeMetrics> nodes = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        List<BigramWindow> bigrams = new ArrayList<>();
        List<ModelReport> models = new ArrayList<>();
        List<ExperimentStats> experiments = new ArrayList<>();
        Map<String, Class<?>> types = Map.of(
                config.get(AgentOptions.FRAMES_TOPIC), FrameEvent.class,
                config.get(AgentOptions.NODE_METRICS_TOPIC), NodeMetrics.class,
                config.get(AgentOptions.WINDOW_STATS_TOPIC), WindowStats.class,
                config.get(AgentOptions.ANOMALIES_TOPIC), Anomaly.class,
                config.get(AgentOptions.BIGRAMS_TOPIC), BigramWindow.class,
                config.get(AgentOptions.MODELS_TOPIC), ModelReport.class,
                config.get(AgentOptions.EXPERIMENT_STATS_TOPIC), ExperimentStats.class);
        String framesTopic = config.get(AgentOptions.FRAMES_TOPIC);
        String metricsTopic = config.get(AgentOptions.NODE_METRICS_TOPIC);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(framesTopic) && r.key() != null
                    && !writer.sampled(new String(r.key(), StandardCharsets.UTF_8))) {
                continue; // outside the sample: not even decoded
            }
            Object value;
            try {
                if (r.topic().equals(framesTopic)) {
                    value = TopicValues.frame(r.value()); // binary, or JSON from gateways before it
                } else if (r.topic().equals(metricsTopic)) {
                    value = TopicValues.nodeMetrics(r.value());
                } else {
                    value = QpJson.read(r.value(), types.get(r.topic()));
                }
            } catch (IOException | RuntimeException e) {
                unreadable.incrementAndGet();
                LOG.warn("skipped an unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0]);
                continue;
            }
            if (value instanceof FrameEvent f) {
                frames.add(f);
            } else if (value instanceof WindowStats w) {
                windows.add(w);
            } else if (value instanceof NodeMetrics n) {
                nodes.add(n);
            } else if (value instanceof Anomaly a) {
                anomalies.add(a);
            } else if (value instanceof BigramWindow w) {
                bigrams.add(w);
            } else if (value instanceof ModelReport m) {
                models.add(m);
            } else if (value instanceof ExperimentStats x) {
                experiments.add(x);
            }
        }
        return new AnalyticsWriter.Batch(frames, windows, nodes, anomalies, bigrams, models, experiments);
    }

    public long written() {
        return written.get();
    }

    public long unreadable() {
        return unreadable.get();
    }

    /** Stops {@link #run()} from another thread. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
