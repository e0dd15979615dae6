package qp.agent.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import qp.agent.tuning.ControlPublisher;
import qp.protocol.control.ControlCommand;
import qp.protocol.json.QpJson;

/** Writes commands to {@code qp.control}, keyed by node (none for every node), and waits for the broker's ack. */
public final class KafkaControlPublisher implements ControlPublisher, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaControlPublisher(String bootstrap, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(ControlCommand command) {
        byte[] key = command.nodeId() == null ? null : command.nodeId().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, key, QpJson.bytes(command))).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(topic + ": no answer from Kafka in 15 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
