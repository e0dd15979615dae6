package qp.job.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Writes a {@link FrameEvent} field by field. Every frame crosses several keyed exchanges in the analytics (per
 * node/type, per node, per connection); the generic POJO serializer builds each record reflectively and copies it
 * between chained operators, this one does neither (the record is immutable, so a copy is the record itself).
 *
 * <p>Layouts: {@link #LAYOUT_WITHOUT_EXPERIMENT} is the fields up to {@code eventTimeMillis}, as the first builds wrote
 * them; {@link #LAYOUT_WITH_EXPERIMENT} adds {@code experimentId}, {@code arm} and {@code bucket} behind one byte
 * saying which of them are present (1 byte for a frame without an experiment). The snapshot records the layout, so
 * state of an older build restores ({@link FrameLayoutSnapshot}).
 */
public final class FrameEventSerializer extends TypeSerializer<FrameEvent> {
    private static final long serialVersionUID = 2L;
    static final int LAYOUT_WITHOUT_EXPERIMENT = 1;
    static final int LAYOUT_WITH_EXPERIMENT = 2;
    static final int CURRENT_LAYOUT = LAYOUT_WITH_EXPERIMENT;

    public static final FrameEventSerializer INSTANCE = new FrameEventSerializer(CURRENT_LAYOUT);
    private static final FrameEventSerializer WITHOUT_EXPERIMENT = new FrameEventSerializer(LAYOUT_WITHOUT_EXPERIMENT);
    private static final Direction[] DIRECTIONS = Direction.values();
    private static final int HAS_EXPERIMENT_ID = 1;
    private static final int HAS_ARM = 2;
    private static final int HAS_BUCKET = 4;

    private final int layout;

    private FrameEventSerializer(int layout) {
        this.layout = layout;
    }

    /** The serializer of a layout, e.g. the one an older build's state was written in. */
    static FrameEventSerializer forLayout(int layout) {
        return checkLayout(layout) == CURRENT_LAYOUT ? INSTANCE : WITHOUT_EXPERIMENT;
    }

    static int checkLayout(int layout) {
        if (layout < LAYOUT_WITHOUT_EXPERIMENT || layout > CURRENT_LAYOUT) {
            throw new IllegalArgumentException("frame layout " + layout + " is unknown: this build knows "
                    + LAYOUT_WITHOUT_EXPERIMENT + ".." + CURRENT_LAYOUT + "; was the state written by a newer build?");
        }
        return layout;
    }

    int layout() {
        return layout;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<FrameEvent> duplicate() {
        return this; // stateless
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
        if (layout >= LAYOUT_WITH_EXPERIMENT) {
            writeExperiment(f, out);
        }
    }

    private static void writeExperiment(FrameEvent f, DataOutputView out) throws IOException {
        int present = (f.experimentId() == null ? 0 : HAS_EXPERIMENT_ID) | (f.arm() == null ? 0 : HAS_ARM)
                | (f.bucket() == null ? 0 : HAS_BUCKET);
        out.writeByte(present);
        if (f.experimentId() != null) {
            StringValue.writeString(f.experimentId(), out);
        }
        if (f.arm() != null) {
            StringValue.writeString(f.arm(), out);
        }
        if (f.bucket() != null) {
            out.writeInt(f.bucket());
        }
    }

    @Override
    public FrameEvent deserialize(DataInputView in) throws IOException {
        String nodeId = RepeatedStringValues.read(in);
        String connectionId = StringValue.readString(in);
        long seq = in.readLong();
        String sessionId = StringValue.readString(in);
        String type = RepeatedStringValues.read(in);
        String op = RepeatedStringValues.read(in);
        byte direction = in.readByte();
        int wireBytes = in.readInt();
        int rawBytes = in.readInt();
        boolean compressed = in.readBoolean();
        long latencyMicros = in.readLong();
        String outcome = RepeatedStringValues.read(in);
        long paramVersion = in.readLong();
        long eventTimeMillis = in.readLong();
        String experimentId = null;
        String arm = null;
        Integer bucket = null;
        if (layout >= LAYOUT_WITH_EXPERIMENT) {
            int present = in.readByte();
            experimentId = (present & HAS_EXPERIMENT_ID) == 0 ? null : RepeatedStringValues.read(in);
            arm = (present & HAS_ARM) == 0 ? null : RepeatedStringValues.read(in);
            bucket = (present & HAS_BUCKET) == 0 ? null : in.readInt();
        }
        return new FrameEvent(nodeId, connectionId, seq, sessionId, type, op,
                direction < 0 ? null : DIRECTIONS[direction], wireBytes, rawBytes, compressed, latencyMicros, outcome,
                paramVersion, eventTimeMillis, experimentId, arm, bucket);
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
    public boolean equals(Object obj) {
        return obj instanceof FrameEventSerializer other && other.layout == layout;
    }

    @Override
    public int hashCode() {
        return 31 * FrameEventSerializer.class.hashCode() + layout;
    }

    @Override
    public TypeSerializerSnapshot<FrameEvent> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    /** Restores the serializer of the layout the state was written in (the class name is the one older builds wrote). */
    public static final class Snapshot extends FrameLayoutSnapshot<FrameEvent> {
        /** For Flink, which reads the layout next. */
        public Snapshot() {
            this(CURRENT_LAYOUT);
        }

        Snapshot(int layout) {
            super(layout);
        }

        @Override
        TypeSerializer<FrameEvent> serializerFor(int layout) {
            return forLayout(layout);
        }
    }
}
