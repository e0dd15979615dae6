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
 * Writes a {@link TransitionCount} field by field. It only crosses the keyed edge from the sequencer to the bigram
 * windows: the windows keep a map of counts in their state, not these.
 */
public final class TransitionCountSerializer extends ImmutableRecordSerializer<TransitionCount> {
    private static final long serialVersionUID = 1L;
    public static final TransitionCountSerializer INSTANCE = new TransitionCountSerializer();
    public static final TypeInformation<TransitionCount> TYPE =
            new SerializerTypeInfo<>(TransitionCount.class, INSTANCE, "TransitionCount(field by field)");

    private TransitionCountSerializer() {
    }

    @Override
    public void serialize(TransitionCount t, DataOutputView out) throws IOException {
        StringValue.writeString(t.nodeId(), out);
        StringValue.writeString(t.from(), out);
        StringValue.writeString(t.to(), out);
        out.writeLong(t.eventTimeMillis());
        out.writeInt(t.count());
    }

    @Override
    public TransitionCount deserialize(DataInputView in) throws IOException {
        return new TransitionCount(RepeatedStringValues.read(in), RepeatedStringValues.read(in),
                RepeatedStringValues.read(in), in.readLong(), in.readInt());
    }

    @Override
    public TypeSerializerSnapshot<TransitionCount> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TransitionCount> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
