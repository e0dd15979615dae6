package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

class FrameEventSerializerTest {
    static final FrameEvent FULL = new FrameEvent("edge-1", "c-9", 42, "s-1", "COMMAND", "echo", Direction.OUT, 1_030,
            1_024, true, 1_234_567, "UNKNOWN_OP", 7, 1_700_000_000_123L);
    static final FrameEvent SPARSE = new FrameEvent("edge-2", "c-1", 0, null, "INVALID", null, null, 0, 0, false, 0,
            "BAD_FRAME", 0, 1L);
    static final FrameEvent IN_EXPERIMENT = new FrameEvent("edge-1", "c-9", 43, "s-1", "DATA", null, Direction.IN, 90,
            80, false, 250, "ok", 8, 1_700_000_000_124L, "exp-7", "treatment", 5);
    /** Only a bucket: the fields are written independently, whatever a producer sets. */
    static final FrameEvent ONLY_BUCKET = new FrameEvent("edge-1", "c-9", 44, null, "ACK", null, Direction.OUT, 9, 0,
            false, 0, "ok", 8, 1_700_000_000_125L, null, null, 0);

    private final TypeSerializer<FrameEvent> serializer = QpTypes.FRAME.createSerializer(new SerializerConfigImpl());

    @Test
    void roundTripsEveryFieldIncludingNullsAndTheExperiment() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (FrameEvent f : new FrameEvent[] {FULL, SPARSE, IN_EXPERIMENT, ONLY_BUCKET}) {
            serializer.serialize(f, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(serializer.deserialize(in)).isEqualTo(FULL);
        assertThat(serializer.deserialize(in)).isEqualTo(SPARSE);
        assertThat(serializer.deserialize(in)).isEqualTo(IN_EXPERIMENT);
        assertThat(serializer.deserialize(in)).isEqualTo(ONLY_BUCKET);
        assertThat(in.available()).isZero();
    }

    @Test
    void aFrameWithoutAnExperimentCostsOneByteMore() throws Exception {
        DataOutputSerializer current = new DataOutputSerializer(64);
        serializer.serialize(FULL, current);
        assertThat(current.length()).isEqualTo(previousLayout(FULL).length + 1);
    }

    @Test
    void restoresFromItsSnapshot() throws Exception {
        var snapshot = serializer.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isSameAs(FrameEventSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(serializer.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
        TypeSerializerSnapshot<FrameEvent> read = writeAndRead(snapshot);
        assertThat(read.restoreSerializer()).isSameAs(FrameEventSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    /**
     * A checkpoint of the build before the experiment fields: its snapshot is the one Flink's
     * SimpleTypeSerializerSnapshot wrote under our class name (version 3, nothing after it), its frames the 14 fields.
     * Both are written here byte by byte as that build did, not with this build's code.
     */
    @Test
    void stateOfTheBuildBeforeTheExperimentFieldsIsReadAndMigrated() throws Exception {
        DataOutputSerializer oldSnapshot = new DataOutputSerializer(64);
        oldSnapshot.writeUTF(FrameEventSerializer.Snapshot.class.getName());
        oldSnapshot.writeInt(3);
        TypeSerializerSnapshot<FrameEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(oldSnapshot.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAfterMigration())
                .as("Flink reads the old state with the old layout, then writes it in the new one").isTrue();
        TypeSerializer<FrameEvent> old = restored.restoreSerializer();
        DataOutputSerializer oldState = new DataOutputSerializer(64);
        oldState.write(previousLayout(FULL));
        oldState.write(previousLayout(SPARSE));
        DataInputDeserializer in = new DataInputDeserializer(oldState.getCopyOfBuffer());
        FrameEvent full = old.deserialize(in);
        FrameEvent sparse = old.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(full).isEqualTo(FULL);
        assertThat(sparse).isEqualTo(SPARSE);
        assertThat(full.experimentId()).isNull();

        DataOutputSerializer migrated = new DataOutputSerializer(64);
        serializer.serialize(full, migrated);
        assertThat(serializer.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()))).isEqualTo(FULL);
        assertThat(old.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
    }

    @Test
    void stateOfANewerLayoutIsRefusedWithAReason() throws Exception {
        DataOutputSerializer newer = new DataOutputSerializer(64);
        newer.writeUTF(FrameEventSerializer.Snapshot.class.getName());
        newer.writeInt(4);
        newer.writeInt(FrameEventSerializer.CURRENT_LAYOUT + 1);
        assertThatThrownBy(() -> TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(newer.getCopyOfBuffer()), getClass().getClassLoader()))
                .hasMessageContaining("frame layout 3 is unknown");
        DataOutputSerializer unknownVersion = new DataOutputSerializer(64);
        unknownVersion.writeUTF(FrameEventSerializer.Snapshot.class.getName());
        unknownVersion.writeInt(9);
        assertThatThrownBy(() -> TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(unknownVersion.getCopyOfBuffer()), getClass().getClassLoader()))
                .isInstanceOf(IOException.class).hasMessageContaining("snapshot version 9 is unknown");
        // the old layout's own snapshot, e.g. of state not yet migrated, says so
        TypeSerializerSnapshot<FrameEvent> legacy = FrameEventSerializer.forLayout(1).snapshotConfiguration();
        assertThat(writeAndRead(legacy).restoreSerializer()).isEqualTo(FrameEventSerializer.forLayout(1))
                .isNotEqualTo(FrameEventSerializer.INSTANCE);
        assertThat(legacy.resolveSchemaCompatibility(serializer.snapshotConfiguration()).isIncompatible())
                .as("a downgrade").isTrue();
    }

    static <T> TypeSerializerSnapshot<T> writeAndRead(TypeSerializerSnapshot<T> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                FrameEventSerializerTest.class.getClassLoader());
    }

    /** A frame as the build before the experiment fields wrote it (its serialize method, unchanged). */
    static byte[] previousLayout(FrameEvent f) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        StringValue.writeString(f.nodeId(), out);
        StringValue.writeString(f.connectionId(), out);
        out.writeLong(f.seq());
        StringValue.writeString(f.sessionId(), out);
        StringValue.writeString(f.type(), out);
        StringValue.writeString(f.op(), out);
        out.writeByte(f.direction() == null ? -1 : f.direction().ordinal());
        out.writeInt(f.wireBytes());
        out.writeInt(f.rawBytes());
        out.writeBoolean(f.compressed());
        out.writeLong(f.latencyMicros());
        StringValue.writeString(f.outcome(), out);
        out.writeLong(f.paramVersion());
        out.writeLong(f.eventTimeMillis());
        return out.getCopyOfBuffer();
    }
}
