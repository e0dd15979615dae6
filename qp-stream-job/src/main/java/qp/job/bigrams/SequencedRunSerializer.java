package qp.job.bigrams;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.job.io.ImmutableRecordSerializer;
import qp.job.io.RepeatedStringValues;
import qp.job.io.RunStrings;
import qp.job.io.SerializerTypeInfo;

/**
 * Writes a {@link SequencedRun}: node, connection, the run's distinct types ({@link RunStrings}), the number of frames,
 * then each frame's seq, event time and type (its code in the table). It only crosses the keyed edge to the
 * sequencer, never state. The reader hands out one String per type value ({@link RepeatedStringValues}), which the
 * sequencer's pair counts match by reference.
 */
public final class SequencedRunSerializer extends ImmutableRecordSerializer<SequencedRun> {
    private static final long serialVersionUID = 1L;
    public static final SequencedRunSerializer INSTANCE = new SequencedRunSerializer();
    public static final TypeInformation<SequencedRun> TYPE =
            new SerializerTypeInfo<>(SequencedRun.class, INSTANCE, "SequencedRun(node, connection, frames)");

    private SequencedRunSerializer() {
    }

    @Override
    public void serialize(SequencedRun r, DataOutputView out) throws IOException {
        StringValue.writeString(r.nodeId(), out);
        StringValue.writeString(r.connectionId(), out);
        PendingFrame[] frames = r.frames();
        RunStrings types = new RunStrings();
        short[] codes = new short[frames.length];
        for (int i = 0; i < frames.length; i++) {
            codes[i] = types.code(frames[i].type());
        }
        types.writeTable(out);
        out.writeInt(frames.length);
        for (int i = 0; i < frames.length; i++) {
            out.writeLong(frames[i].seq());
            out.writeLong(frames[i].eventTimeMillis());
            out.writeShort(codes[i]);
        }
    }

    @Override
    public SequencedRun deserialize(DataInputView in) throws IOException {
        String node = RepeatedStringValues.read(in);
        String connection = RepeatedStringValues.read(in);
        String[] types = RunStrings.readTable(in);
        int n = in.readInt();
        if (n < 1) {
            throw new IOException("a run of " + n + " frames");
        }
        PendingFrame[] frames = new PendingFrame[n];
        for (int i = 0; i < n; i++) {
            frames[i] = new PendingFrame(in.readLong(), in.readLong(), RunStrings.lookUp(types, in.readShort()));
        }
        return new SequencedRun(node, connection, frames);
    }

    @Override
    public TypeSerializerSnapshot<SequencedRun> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SequencedRun> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
