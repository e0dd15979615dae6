package qp.agent.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.tuning.RecommendationSource;
import qp.protocol.analytics.Recommendation;
import qp.protocol.json.QpJson;

/**
 * {@code qp.recommendations}, read committed; offsets committed once the loop has the recommendations in its ledger.
 * Used from the loop's thread only (a Kafka consumer is not thread-safe).
 */
public final class KafkaRecommendationSource implements RecommendationSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecommendationSource.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration pollTimeout;

    public KafkaRecommendationSource(AgentConfig config, Duration pollTimeout) {
        Properties p = AgentConsumers.properties(config, "recommendations");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.get(AgentOptions.RECOMMENDATIONS_TOPIC)));
        this.pollTimeout = pollTimeout;
    }

    @Override
    public List<Recommendation> poll() {
        List<Recommendation> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
            try {
                Recommendation rec = QpJson.read(r.value(), Recommendation.class);
                if (rec.id() == null || rec.nodeId() == null || rec.parameter() == null) {
                    throw new IOException("id, nodeId and parameter are required");
                }
                out.add(rec);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipped an unreadable recommendation at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0]);
            }
        }
        return out;
    }

    @Override
    public void commit() {
        consumer.commitSync();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
