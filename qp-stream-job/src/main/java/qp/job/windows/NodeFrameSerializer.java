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

/** Writes a {@link NodeFrame} field by field. It only crosses the keyed edge to the per-node windows, never state. */
public final class NodeFrameSerializer extends ImmutableRecordSerializer<NodeFrame> {
    private static final long serialVersionUID = 1L;
    public static final NodeFrameSerializer INSTANCE = new NodeFrameSerializer();
    public static final TypeInformation<NodeFrame> TYPE =
            new SerializerTypeInfo<>(NodeFrame.class, INSTANCE, "NodeFrame(field by field)");

    private NodeFrameSerializer() {
    }

    @Override
    public void serialize(NodeFrame f, DataOutputView out) throws IOException {
        StringValue.writeString(f.nodeId(), out);
        StringValue.writeString(f.type(), out);
        out.writeInt(f.wireBytes());
        out.writeInt(f.rawBytes());
        out.writeLong(f.latencyMicros());
        out.writeBoolean(f.error());
    }

    @Override
    public NodeFrame deserialize(DataInputView in) throws IOException {
        return new NodeFrame(RepeatedStringValues.read(in), RepeatedStringValues.read(in), in.readInt(), in.readInt(),
                in.readLong(), in.readBoolean());
    }

    @Override
    public TypeSerializerSnapshot<NodeFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NodeFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
