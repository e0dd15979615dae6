package qp.job.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import qp.protocol.events.FrameEvent;

/**
 * The frame source's output, {@code Decoded<FrameEvent>}: a frame (by {@link FrameEventSerializer}) or a dead letter.
 * The source hands every record to the chained {@code decode-frames}, and without object reuse Flink copies it on the
 * way; the generic POJO serializer did that reflectively for each frame. A {@link Decoded} is not changed after the
 * deserializer made it, so a copy is the record itself. Its frames are in one of {@link FrameEventSerializer}'s
 * layouts, recorded in the snapshot like that serializer's.
 */
public final class DecodedFrameSerializer extends TypeSerializer<Decoded<FrameEvent>> {
    private static final long serialVersionUID = 2L;
    public static final DecodedFrameSerializer INSTANCE = new DecodedFrameSerializer(FrameEventSerializer.INSTANCE);
    private static final byte FRAME = 0;
    private static final byte DEAD_LETTER = 1;
    private static final byte EMPTY = 2;

    private final FrameEventSerializer frames;

    private DecodedFrameSerializer(FrameEventSerializer frames) {
        this.frames = frames;
    }

    static DecodedFrameSerializer forLayout(int layout) {
        FrameEventSerializer f = FrameEventSerializer.forLayout(layout);
        return f == INSTANCE.frames ? INSTANCE : new DecodedFrameSerializer(f);
    }

    @Override
    public TypeSerializer<Decoded<FrameEvent>> duplicate() {
        return this; // stateless
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Decoded<FrameEvent> createInstance() {
        return new Decoded<>();
    }

    @Override
    public Decoded<FrameEvent> copy(Decoded<FrameEvent> from) {
        return from;
    }

    @Override
    public Decoded<FrameEvent> copy(Decoded<FrameEvent> from, Decoded<FrameEvent> reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Decoded<FrameEvent> d, DataOutputView out) throws IOException {
        if (d.value != null) {
            out.writeByte(FRAME);
            frames.serialize(d.value, out);
        } else if (d.deadLetter != null) {
            DeadLetter l = d.deadLetter;
            out.writeByte(DEAD_LETTER);
            StringValue.writeString(l.topic(), out);
            out.writeInt(l.partition());
            out.writeLong(l.offset());
            out.writeLong(l.timestampMillis());
            StringValue.writeString(l.reason(), out);
            StringValue.writeString(l.valueText(), out);
            StringValue.writeString(l.valueBase64(), out);
        } else {
            out.writeByte(EMPTY);
        }
    }

    @Override
    public Decoded<FrameEvent> deserialize(DataInputView in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case FRAME -> Decoded.of(frames.deserialize(in));
            case DEAD_LETTER -> Decoded.failed(new DeadLetter(StringValue.readString(in), in.readInt(), in.readLong(),
                    in.readLong(), StringValue.readString(in), StringValue.readString(in), StringValue.readString(in)));
            case EMPTY -> new Decoded<>();
            default -> throw new IOException("not a Decoded<FrameEvent>: unknown kind " + kind);
        };
    }

    @Override
    public Decoded<FrameEvent> deserialize(Decoded<FrameEvent> reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof DecodedFrameSerializer other && other.frames.equals(frames);
    }

    @Override
    public int hashCode() {
        return 31 * DecodedFrameSerializer.class.hashCode() + frames.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Decoded<FrameEvent>> snapshotConfiguration() {
        return new Snapshot(frames.layout());
    }

    /** Restores the serializer of the frame layout the state was written in (the class name older builds wrote). */
    public static final class Snapshot extends FrameLayoutSnapshot<Decoded<FrameEvent>> {
        /** For Flink, which reads the layout next. */
        public Snapshot() {
            this(FrameEventSerializer.CURRENT_LAYOUT);
        }

        Snapshot(int layout) {
            super(layout);
        }

        @Override
        TypeSerializer<Decoded<FrameEvent>> serializerFor(int layout) {
            return forLayout(layout);
        }
    }
}
