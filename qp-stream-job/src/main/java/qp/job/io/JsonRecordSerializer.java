package qp.job.io;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import qp.protocol.json.QpJson;

/** Writes a record as JSON with {@link QpJson} to one topic, with the key the topic's table in DESIGN.md gives it. */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The Kafka key of a record, or null for none. */
    @FunctionalInterface
    public interface KeyOf<T> extends Serializable {
        String key(T value);
    }

    private final String topic;
    private final KeyOf<T> keyOf;

    public JsonRecordSerializer(String topic, KeyOf<T> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.key(element);
        return new ProducerRecord<>(topic, null, timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), QpJson.bytes(element));
    }
}
