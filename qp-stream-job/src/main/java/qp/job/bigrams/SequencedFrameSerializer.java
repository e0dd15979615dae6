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
import qp.job.io.SerializerTypeInfo;

/**
 * Writes a {@link SequencedFrame} field by field. It only crosses the keyed edge to the sequencer: the sequencer keeps
 * {@link PendingFrame}s in its state, not these.
 */
public final class SequencedFrameSerializer extends ImmutableRecordSerializer<SequencedFrame> {
    private static final long serialVersionUID = 1L;
    public static final SequencedFrameSerializer INSTANCE = new SequencedFrameSerializer();
    public static final TypeInformation<SequencedFrame> TYPE =
            new SerializerTypeInfo<>(SequencedFrame.class, INSTANCE, "SequencedFrame(field by field)");

    private SequencedFrameSerializer() {
    }

    @Override
    public void serialize(SequencedFrame f, DataOutputView out) throws IOException {
        StringValue.writeString(f.nodeId(), out);
        StringValue.writeString(f.connectionId(), out);
        out.writeLong(f.seq());
        out.writeLong(f.eventTimeMillis());
        StringValue.writeString(f.type(), out);
    }

    @Override
    public SequencedFrame deserialize(DataInputView in) throws IOException {
        return new SequencedFrame(RepeatedStringValues.read(in), RepeatedStringValues.read(in), in.readLong(),
                in.readLong(), RepeatedStringValues.read(in));
    }

    @Override
    public TypeSerializerSnapshot<SequencedFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SequencedFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
