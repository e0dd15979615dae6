package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

class DecodedFrameSerializerTest {
    private final TypeSerializer<Decoded<FrameEvent>> serializer =
            QpTypes.DECODED_FRAME.createSerializer(new SerializerConfigImpl());

    @Test
    void roundTripsAFrameADeadLetterWithAndWithoutTextAndAnEmptyEnvelope() throws Exception {
        FrameEvent frame = new FrameEvent("edge-1", "c-9", 42, "s-1", "COMMAND", "echo", Direction.OUT, 1_030, 1_024,
                true, 1_234_567, "UNKNOWN_OP", 7, 1_700_000_000_123L);
        DeadLetter text = new DeadLetter("qp.frames", 1, 99, 1_700L, "not a FrameEvent: x", "{oops", null);
        DeadLetter binary = new DeadLetter("qp.frames", 0, 5, 0L, "empty value", null, "AAE=");
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(Decoded.of(frame), out);
        serializer.serialize(Decoded.of(FrameEventSerializerTest.IN_EXPERIMENT), out);
        serializer.serialize(Decoded.failed(text), out);
        serializer.serialize(Decoded.failed(binary), out);
        serializer.serialize(new Decoded<>(), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in).value).isEqualTo(frame);
        assertThat(serializer.deserialize(in).value).isEqualTo(FrameEventSerializerTest.IN_EXPERIMENT);
        assertThat(serializer.deserialize(in).deadLetter).isEqualTo(text);
        assertThat(serializer.deserialize(in).deadLetter).isEqualTo(binary);
        Decoded<FrameEvent> empty = serializer.deserialize(in);
        assertThat(empty.value).isNull();
        assertThat(empty.deadLetter).isNull();
        assertThat(in.available()).isZero();
    }

    @Test
    void aCopyIsTheRecordItselfAndUnknownBytesAreAClearError() {
        Decoded<FrameEvent> d = Decoded.failed(new DeadLetter("t", 0, 0, 0, "r", "v", null));
        assertThat(serializer.copy(d)).isSameAs(d);
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(new byte[] {7})))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown kind 7");
    }

    @Test
    void restoresFromItsSnapshot() throws Exception {
        var snapshot = serializer.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isSameAs(DecodedFrameSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(serializer.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
        assertThat(FrameEventSerializerTest.writeAndRead(snapshot).restoreSerializer())
                .isSameAs(DecodedFrameSerializer.INSTANCE);
    }

    /** As the build before the experiment fields wrote it: Flink's simple snapshot (version 3), 14-field frames. */
    @Test
    void stateOfTheBuildBeforeTheExperimentFieldsIsReadAndMigrated() throws Exception {
        DataOutputSerializer oldSnapshot = new DataOutputSerializer(64);
        oldSnapshot.writeUTF(DecodedFrameSerializer.Snapshot.class.getName());
        oldSnapshot.writeInt(3);
        TypeSerializerSnapshot<Decoded<FrameEvent>> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(oldSnapshot.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAfterMigration())
                .isTrue();

        DataOutputSerializer oldState = new DataOutputSerializer(64);
        oldState.writeByte(0); // a frame
        oldState.write(FrameEventSerializerTest.previousLayout(FrameEventSerializerTest.FULL));
        oldState.writeByte(2); // empty
        DataInputDeserializer in = new DataInputDeserializer(oldState.getCopyOfBuffer());
        TypeSerializer<Decoded<FrameEvent>> old = restored.restoreSerializer();
        assertThat(old.deserialize(in).value).isEqualTo(FrameEventSerializerTest.FULL);
        assertThat(old.deserialize(in).ok()).isFalse();
        assertThat(in.available()).isZero();
    }
}
