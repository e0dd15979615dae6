package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.params.TunableParams;
import qp.protocol.json.QpJson;

class SafeDeserializerTest {
    private final SafeDeserializer<FrameEvent> frames = SafeDeserializer.frames();

    static FrameEvent frame(long time) {
        return new FrameEvent("edge-1", "c1", 7, "s1", "COMMAND", "echo", Direction.IN, 40, 30, false, 1200,
                FrameEvent.OK, 3, time);
    }

    @Test
    void readsAGoodFrameEventInJsonAndInBinary() {
        Decoded<FrameEvent> d = frames.decode("qp.frames", 0, 5, 1L, QpJson.bytes(frame(1_700_000_000_000L)));
        assertThat(d.ok()).isTrue();
        assertThat(d.value).isEqualTo(frame(1_700_000_000_000L));
        Decoded<FrameEvent> b = frames.decode("qp.frames", 0, 6, 1L, FrameEventCodec.encode(frame(1_700_000_000_000L)));
        assertThat(b.ok()).isTrue();
        assertThat(b.value).isEqualTo(frame(1_700_000_000_000L));
    }

    @Test
    void readsNodeMetricsInJsonAndInBinary() {
        NodeMetrics m = new NodeMetrics("edge-1", 1_700_000_000_000L, 10, 2, 1000, 800, 0.25, 123_456L, 1_000_000L, 3, 0, 0, 4,
                TunableParams.defaults());
        SafeDeserializer<NodeMetrics> metrics = SafeDeserializer.nodeMetrics();
        assertThat(metrics.decode("qp.node-metrics", 0, 1, 1L, QpJson.bytes(m)).value).isEqualTo(m);
        assertThat(metrics.decode("qp.node-metrics", 0, 2, 1L, NodeMetricsCodec.encode(m)).value).isEqualTo(m);
        byte[] noTime = NodeMetricsCodec.encode(new NodeMetrics("edge-1", 0, 10, 2, 1000, 800, 0.25, 123_456L, 1_000_000L, 3, 0, 0, 4,
                TunableParams.defaults()));
        assertThat(metrics.decode("qp.node-metrics", 0, 3, 1L, noTime).deadLetter.reason())
                .isEqualTo("unusable NodeMetrics: missing or non-positive timestampMillis");
    }

    @Test
    void truncatedBinaryBecomesADeadLetterWithTheCodecsMessageAndTheRawValue() {
        byte[] value = FrameEventCodec.encode(frame(1_700_000_000_000L));
        byte[] cut = java.util.Arrays.copyOf(value, value.length - 3);
        DeadLetter l = frames.decode("qp.frames", 1, 7, 5L, cut).deadLetter;
        assertThat(l.reason()).startsWith("truncated FrameEvent: ").contains("byte");
        assertThat(Base64.getDecoder().decode(l.valueBase64())).isEqualTo(cut);
        assertThat(l.offset()).isEqualTo(7);
    }

    @Test
    void notJsonBecomesADeadLetterWithWhereAndWhy() {
        Decoded<FrameEvent> d = frames.decode("qp.frames", 2, 41, 99L, "{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(d.ok()).isFalse();
        DeadLetter l = d.deadLetter;
        assertThat(l.topic()).isEqualTo("qp.frames");
        assertThat(l.partition()).isEqualTo(2);
        assertThat(l.offset()).isEqualTo(41);
        assertThat(l.timestampMillis()).isEqualTo(99L);
        assertThat(l.reason()).startsWith("not a FrameEvent in JSON: ");
        assertThat(l.valueText()).isEqualTo("{not json");
        assertThat(l.valueBase64()).isNull();
    }

    @Test
    void binaryValueIsKeptAsBase64() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01};
        DeadLetter l = frames.decode("qp.frames", 0, 1, 1L, garbage).deadLetter;
        assertThat(l.valueText()).isNull();
        assertThat(Base64.getDecoder().decode(l.valueBase64())).isEqualTo(garbage);
    }

    @Test
    void wrongShapeMissingFieldsEmptyAndNullAreDeadLetters() {
        assertThat(frames.decode("t", 0, 1, 1L, "{\"nodeId\":\"n\",\"seq\":\"many\"}".getBytes()).deadLetter.reason())
                .startsWith("not a FrameEvent");
        assertThat(frames.decode("t", 0, 1, 1L, "{\"nodeId\":\"n\"}".getBytes()).deadLetter.reason())
                .isEqualTo("unusable FrameEvent: missing type");
        assertThat(frames.decode("t", 0, 1, 1L, QpJson.bytes(frame(0))).deadLetter.reason())
                .contains("eventTimeMillis");
        assertThat(frames.decode("t", 0, 1, 1L, new byte[0]).deadLetter.reason()).isEqualTo("empty value");
        assertThat(frames.decode("t", 0, 1, 1L, null).deadLetter.reason()).isEqualTo("empty value");
        // "null" does not start with '{': read as binary, whose first byte is then no known major version
        assertThat(frames.decode("t", 0, 1, 1L, "null".getBytes()).deadLetter.reason()).contains("FrameEvent");
        assertThat(frames.decode("t", 0, 1, 1L, "[1,2]".getBytes()).ok()).isFalse();
    }

    @Test
    void decodedEnvelopeIsAPojoNotAGenericType() {
        assertThat(QpTypes.DECODED_FRAME).isInstanceOf(SerializerTypeInfo.class);
        assertThat(QpTypes.DECODED_FRAME.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(DecodedFrameSerializer.INSTANCE);
        assertThat(QpTypes.DECODED_NODE_METRICS).isInstanceOf(PojoTypeInfo.class);
        assertThat(QpTypes.FRAME).isInstanceOf(SerializerTypeInfo.class);
        assertThat(QpTypes.FRAME.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(FrameEventSerializer.INSTANCE);
        assertThat(QpTypes.NODE_METRICS).isInstanceOf(PojoTypeInfo.class);
        assertThat(QpTypes.DEAD_LETTER).isInstanceOf(PojoTypeInfo.class);
    }
}
