package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

class FrameEventSerializerTest {
    private final TypeSerializer<FrameEvent> serializer = QpTypes.FRAME.createSerializer(new SerializerConfigImpl());

    @Test
    void roundTripsEveryFieldIncludingNulls() throws Exception {
        FrameEvent full = new FrameEvent("edge-1", "c-9", 42, "s-1", "COMMAND", "echo", Direction.OUT, 1_030, 1_024,
                true, 1_234_567, "UNKNOWN_OP", 7, 1_700_000_000_123L);
        FrameEvent sparse = new FrameEvent("edge-2", "c-1", 0, null, "INVALID", null, null, 0, 0, false, 0, "BAD_FRAME",
                0, 1L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(full, out);
        serializer.serialize(sparse, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in)).isEqualTo(full);
        assertThat(serializer.deserialize(in)).isEqualTo(sparse);
        assertThat(in.available()).isZero();
    }

    @Test
    void restoresFromItsSnapshot() {
        var snapshot = serializer.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isSameAs(FrameEventSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(serializer.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
    }
}
