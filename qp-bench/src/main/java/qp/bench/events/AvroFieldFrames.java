package qp.bench.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import qp.protocol.events.Direction;
import qp.protocol.events.EventEncoding;
import qp.protocol.events.FrameEvent;

/**
 * Avro's raw {@link BinaryEncoder} / {@link BinaryDecoder} field by field, in {@code FrameEvent.avsc}'s order: the
 * same bytes as the generic API and as qp-protocol's {@code FrameEventCodec}, without a record in between.
 */
final class AvroFieldFrames implements FrameEventCoder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Override
    public byte[] encode(FrameEvent e) {
        try {
            bytes.reset();
            BinaryEncoder out = encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            out.writeInt(EventEncoding.MAJOR);
            out.writeInt(EventEncoding.MINOR);
            out.writeString(e.nodeId());
            out.writeString(e.connectionId());
            out.writeLong(e.seq());
            nullable(out, e.sessionId());
            out.writeString(e.type());
            nullable(out, e.op());
            out.writeString(e.direction().name());
            out.writeInt(e.wireBytes());
            out.writeInt(e.rawBytes());
            out.writeBoolean(e.compressed());
            out.writeLong(e.latencyMicros());
            out.writeString(e.outcome());
            out.writeLong(e.paramVersion());
            out.writeLong(e.eventTimeMillis());
            nullable(out, e.experimentId());
            nullable(out, e.arm());
            if (e.bucket() == null) {
                out.writeIndex(0);
            } else {
                out.writeIndex(1);
                out.writeInt(e.bucket());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public FrameEvent decode(byte[] value) {
        try {
            BinaryDecoder in = decoder = DecoderFactory.get().binaryDecoder(value, decoder);
            in.readInt();
            in.readInt();
            return new FrameEvent(in.readString(), in.readString(), in.readLong(), nullable(in), in.readString(),
                    nullable(in), Direction.valueOf(in.readString()), in.readInt(), in.readInt(), in.readBoolean(),
                    in.readLong(), in.readString(), in.readLong(), in.readLong(), nullable(in), nullable(in),
                    in.readIndex() == 0 ? null : in.readInt());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void nullable(BinaryEncoder out, String s) throws IOException {
        if (s == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(s);
        }
    }

    private static String nullable(BinaryDecoder in) throws IOException {
        return in.readIndex() == 0 ? null : in.readString();
    }
}
