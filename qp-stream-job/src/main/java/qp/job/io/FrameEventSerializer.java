package qp.job.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Writes a {@link FrameEvent} field by field. Every frame crosses several keyed exchanges in the analytics (per
 * node/type, per node, per connection); the generic POJO serializer builds each record reflectively and copies it
 * between chained operators, this one does neither (the record is immutable, so a copy is the record itself).
 */
public final class FrameEventSerializer extends TypeSerializerSingleton<FrameEvent> {
    private static final long serialVersionUID = 1L;
    public static final FrameEventSerializer INSTANCE = new FrameEventSerializer();
    private static final Direction[] DIRECTIONS = Direction.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public FrameEvent createInstance() {
        return null;
    }

    @Override
    public FrameEvent copy(FrameEvent from) {
        return from;
    }

    @Override
    public FrameEvent copy(FrameEvent from, FrameEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FrameEvent f, DataOutputView out) throws IOException {
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
    }

    @Override
    public FrameEvent deserialize(DataInputView in) throws IOException {
        String nodeId = StringValue.readString(in);
        String connectionId = StringValue.readString(in);
        long seq = in.readLong();
        String sessionId = StringValue.readString(in);
        String type = StringValue.readString(in);
        String op = StringValue.readString(in);
        byte direction = in.readByte();
        int wireBytes = in.readInt();
        int rawBytes = in.readInt();
        boolean compressed = in.readBoolean();
        long latencyMicros = in.readLong();
        String outcome = StringValue.readString(in);
        long paramVersion = in.readLong();
        long eventTimeMillis = in.readLong();
        return new FrameEvent(nodeId, connectionId, seq, sessionId, type, op,
                direction < 0 ? null : DIRECTIONS[direction], wireBytes, rawBytes, compressed, latencyMicros, outcome,
                paramVersion, eventTimeMillis);
    }

    @Override
    public FrameEvent deserialize(FrameEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<FrameEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Stateless: restores to the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FrameEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
