package qp.job.windows;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import qp.job.io.FrameEventSerializer;
import qp.job.io.ImmutableRecordSerializer;
import qp.job.io.SerializerTypeInfo;

/**
 * Writes a {@link NodeTypeInput}: one byte saying which of the two it holds, then that one as
 * {@link FrameEventSerializer} or {@link TypeWindowPartialSerializer} writes it. Only crosses the keyed exchange by
 * (node, type), never state. Immutable for the same reasons as those two.
 */
public final class NodeTypeInputSerializer extends ImmutableRecordSerializer<NodeTypeInput> {
    private static final long serialVersionUID = 1L;
    private static final byte FRAME = 0;
    private static final byte PARTIAL = 1;
    public static final NodeTypeInputSerializer INSTANCE = new NodeTypeInputSerializer();
    public static final TypeInformation<NodeTypeInput> TYPE =
            new SerializerTypeInfo<>(NodeTypeInput.class, INSTANCE, "NodeTypeInput(frame or type-window partial)");

    private NodeTypeInputSerializer() {
    }

    @Override
    public void serialize(NodeTypeInput r, DataOutputView out) throws IOException {
        if (r.frame() != null) {
            out.writeByte(FRAME);
            FrameEventSerializer.INSTANCE.serialize(r.frame(), out);
        } else {
            out.writeByte(PARTIAL);
            TypeWindowPartialSerializer.INSTANCE.serialize(r.partial(), out);
        }
    }

    @Override
    public NodeTypeInput deserialize(DataInputView in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case FRAME -> NodeTypeInput.of(FrameEventSerializer.INSTANCE.deserialize(in));
            case PARTIAL -> NodeTypeInput.of(TypeWindowPartialSerializer.INSTANCE.deserialize(in));
            default -> throw new IOException("unknown NodeTypeInput kind " + kind);
        };
    }

    @Override
    public TypeSerializerSnapshot<NodeTypeInput> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NodeTypeInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
