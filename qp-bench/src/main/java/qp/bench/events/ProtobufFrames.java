package qp.bench.events;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Protobuf's wire format written and read field by field with {@link CodedOutputStream} / {@link CodedInputStream}
 * (no generated classes: protoc is not available here). Field numbers follow the record's order from 1; a null field
 * is absent, the others are always written; direction is an enum (0 IN, 1 OUT); unknown fields are skipped.
 */
final class ProtobufFrames implements FrameEventCoder {
    private final byte[] buf = new byte[1024];

    @Override
    public byte[] encode(FrameEvent e) {
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf);
            out.writeString(1, e.nodeId());
            out.writeString(2, e.connectionId());
            out.writeInt64(3, e.seq());
            if (e.sessionId() != null) {
                out.writeString(4, e.sessionId());
            }
            out.writeString(5, e.type());
            if (e.op() != null) {
                out.writeString(6, e.op());
            }
            out.writeEnum(7, e.direction().ordinal());
            out.writeInt32(8, e.wireBytes());
            out.writeInt32(9, e.rawBytes());
            out.writeBool(10, e.compressed());
            out.writeInt64(11, e.latencyMicros());
            out.writeString(12, e.outcome());
            out.writeInt64(13, e.paramVersion());
            out.writeInt64(14, e.eventTimeMillis());
            if (e.experimentId() != null) {
                out.writeString(15, e.experimentId());
            }
            if (e.arm() != null) {
                out.writeString(16, e.arm());
            }
            if (e.bucket() != null) {
                out.writeInt32(17, e.bucket());
            }
            return Arrays.copyOf(buf, buf.length - out.spaceLeft());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public FrameEvent decode(byte[] value) {
        String nodeId = null, connectionId = null, sessionId = null, type = null, op = null, outcome = null;
        String experimentId = null, arm = null;
        long seq = 0, latencyMicros = 0, paramVersion = 0, eventTimeMillis = 0;
        int wireBytes = 0, rawBytes = 0;
        boolean compressed = false;
        Direction direction = null;
        Integer bucket = null;
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> nodeId = in.readString();
                    case 2 -> connectionId = in.readString();
                    case 3 -> seq = in.readInt64();
                    case 4 -> sessionId = in.readString();
                    case 5 -> type = in.readString();
                    case 6 -> op = in.readString();
                    case 7 -> direction = in.readEnum() == 0 ? Direction.IN : Direction.OUT;
                    case 8 -> wireBytes = in.readInt32();
                    case 9 -> rawBytes = in.readInt32();
                    case 10 -> compressed = in.readBool();
                    case 11 -> latencyMicros = in.readInt64();
                    case 12 -> outcome = in.readString();
                    case 13 -> paramVersion = in.readInt64();
                    case 14 -> eventTimeMillis = in.readInt64();
                    case 15 -> experimentId = in.readString();
                    case 16 -> arm = in.readString();
                    case 17 -> bucket = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new FrameEvent(nodeId, connectionId, seq, sessionId, type, op, direction, wireBytes, rawBytes,
                compressed, latencyMicros, outcome, paramVersion, eventTimeMillis, experimentId, arm, bucket);
    }
}
