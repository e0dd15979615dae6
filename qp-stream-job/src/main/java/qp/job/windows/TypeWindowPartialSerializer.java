package qp.job.windows;

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
 * Writes a {@link TypeWindowPartial}: node, type, then the accumulator as {@link StatsAccumulatorSerializer} does.
 * It only crosses the keyed edge to the per-node windows, never state. Treated as immutable: the per-type window
 * emits its accumulator once and drops it, and the per-node window only reads it.
 */
public final class TypeWindowPartialSerializer extends ImmutableRecordSerializer<TypeWindowPartial> {
    private static final long serialVersionUID = 1L;
    public static final TypeWindowPartialSerializer INSTANCE = new TypeWindowPartialSerializer();
    public static final TypeInformation<TypeWindowPartial> TYPE =
            new SerializerTypeInfo<>(TypeWindowPartial.class, INSTANCE, "TypeWindowPartial(node, type, accumulator)");

    private TypeWindowPartialSerializer() {
    }

    @Override
    public void serialize(TypeWindowPartial p, DataOutputView out) throws IOException {
        StringValue.writeString(p.nodeId(), out);
        StringValue.writeString(p.type(), out);
        StatsAccumulatorSerializer.INSTANCE.serialize(p.stats(), out);
    }

    @Override
    public TypeWindowPartial deserialize(DataInputView in) throws IOException {
        return new TypeWindowPartial(RepeatedStringValues.read(in), RepeatedStringValues.read(in),
                StatsAccumulatorSerializer.INSTANCE.deserialize(in));
    }

    @Override
    public TypeSerializerSnapshot<TypeWindowPartial> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TypeWindowPartial> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
