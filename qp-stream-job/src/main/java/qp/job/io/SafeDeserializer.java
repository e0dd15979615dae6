package qp.job.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.Serializable;
import java.util.Base64;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import qp.protocol.events.EventDecodeException;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;

/**
 * Reads a record into {@code T} and never throws: a value that cannot be decoded, does not fit {@code T} or fails the
 * {@link RecordCheck} becomes a {@link DeadLetter} with the reason, so a bad record costs one DLQ entry, not the job.
 * Frame events and node samples are read by their codecs (binary or the JSON written before it, docs/EVENT-ENCODING.md),
 * the other topics as JSON with {@link QpJson}.
 */
public final class SafeDeserializer<T> implements KafkaRecordDeserializationSchema<Decoded<T>> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_REASON_CHARS = 500;

    /** Reads one non-empty value; may throw, the deserializer turns that into a dead letter. */
    @FunctionalInterface
    public interface ValueReader<T> extends Serializable {
        T read(byte[] value) throws Exception;
    }

    private final String typeName;
    private final ValueReader<T> reader;
    private final RecordCheck<T> check;
    private final TypeInformation<Decoded<T>> producedType;

    private SafeDeserializer(String typeName, ValueReader<T> reader, RecordCheck<T> check,
            TypeInformation<Decoded<T>> producedType) {
        this.typeName = typeName;
        this.reader = reader;
        this.check = check;
        this.producedType = producedType;
    }

    /** {@code qp.frames}: binary or JSON, by {@link FrameEventCodec}. */
    public static SafeDeserializer<FrameEvent> frames() {
        return new SafeDeserializer<>("FrameEvent", FrameEventCodec::decode, RecordCheck.frames(), QpTypes.DECODED_FRAME);
    }

    /** {@code qp.node-metrics}: binary or JSON, by {@link NodeMetricsCodec}. */
    public static SafeDeserializer<NodeMetrics> nodeMetrics() {
        return new SafeDeserializer<>("NodeMetrics", NodeMetricsCodec::decode, RecordCheck.nodeMetrics(),
                QpTypes.DECODED_NODE_METRICS);
    }

    /** A topic whose records are JSON, read with {@link QpJson}. */
    public static <T> SafeDeserializer<T> json(Class<T> type, RecordCheck<T> check,
            TypeInformation<Decoded<T>> producedType) {
        return new SafeDeserializer<>(type.getSimpleName(), value -> QpJson.read(value, type), check, producedType);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out) {
        out.collect(decode(record.topic(), record.partition(), record.offset(), record.timestamp(), record.value()));
    }

    /** The decision for one raw value; public for tests. */
    public Decoded<T> decode(String topic, int partition, long offset, long timestamp, byte[] value) {
        if (value == null || value.length == 0) {
            return Decoded.failed(deadLetter(topic, partition, offset, timestamp, "empty value", value));
        }
        T parsed;
        try {
            parsed = reader.read(value);
        } catch (EventDecodeException e) { // the codec's message names the record, the field and the byte
            return Decoded.failed(deadLetter(topic, partition, offset, timestamp, firstLine(e.getMessage()), value));
        } catch (Exception e) { // Jackson's parse and mapping errors, and anything else: never fail the job
            return Decoded.failed(deadLetter(topic, partition, offset, timestamp,
                    "not a " + typeName + ": " + describe(e), value));
        }
        if (parsed == null) {
            return Decoded.failed(deadLetter(topic, partition, offset, timestamp, "JSON null", value));
        }
        String problem = check.problem(parsed);
        if (problem != null) {
            return Decoded.failed(deadLetter(topic, partition, offset, timestamp,
                    "unusable " + typeName + ": " + problem, value));
        }
        return Decoded.of(parsed);
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return producedType;
    }

    static DeadLetter deadLetter(String topic, int partition, long offset, long timestamp, String reason, byte[] value) {
        String text = null;
        String base64 = null;
        if (value != null) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value)).toString();
            } catch (CharacterCodingException e) {
                base64 = Base64.getEncoder().encodeToString(value);
            }
        }
        return new DeadLetter(topic, partition, offset, timestamp, reason, text, base64);
    }

    private static String describe(Exception e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return firstLine(j.getOriginalMessage()) + " (line " + j.getLocation().getLineNr() + ", column "
                    + j.getLocation().getColumnNr() + ")";
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > MAX_REASON_CHARS ? line.substring(0, MAX_REASON_CHARS) + "..." : line;
    }
}
