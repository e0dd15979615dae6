package qp.bench.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * A layout of our own on a {@link ByteBuffer}: a version byte, a flags byte (direction, compressed, which nullable
 * fields are present), the event time as 8 fixed bytes, the other numbers as unsigned varints, strings as a varint
 * length and UTF-8 ({@code String.getBytes} / {@code new String}).
 */
final class FixedLayoutFrames implements FrameEventCoder {
    private static final int OUT = 1, COMPRESSED = 2, SESSION = 4, OP = 8, EXPERIMENT = 16, ARM = 32, BUCKET = 64;
    private final ByteBuffer buf = ByteBuffer.allocate(1024);

    @Override
    public byte[] encode(FrameEvent e) {
        buf.clear();
        buf.put((byte) 1);
        int flags = (e.direction() == Direction.OUT ? OUT : 0) | (e.compressed() ? COMPRESSED : 0)
                | (e.sessionId() != null ? SESSION : 0) | (e.op() != null ? OP : 0)
                | (e.experimentId() != null ? EXPERIMENT : 0) | (e.arm() != null ? ARM : 0)
                | (e.bucket() != null ? BUCKET : 0);
        buf.put((byte) flags);
        buf.putLong(e.eventTimeMillis());
        varint(e.seq());
        varint(e.wireBytes());
        varint(e.rawBytes());
        varint(e.latencyMicros());
        varint(e.paramVersion());
        string(e.nodeId());
        string(e.connectionId());
        string(e.type());
        string(e.outcome());
        if (e.sessionId() != null) {
            string(e.sessionId());
        }
        if (e.op() != null) {
            string(e.op());
        }
        if (e.experimentId() != null) {
            string(e.experimentId());
        }
        if (e.arm() != null) {
            string(e.arm());
        }
        if (e.bucket() != null) {
            varint(e.bucket());
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    @Override
    public FrameEvent decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        if (in.get() != 1) {
            throw new IllegalArgumentException("unknown version");
        }
        int flags = in.get();
        long eventTimeMillis = in.getLong();
        long seq = varint(in);
        int wireBytes = (int) varint(in);
        int rawBytes = (int) varint(in);
        long latencyMicros = varint(in);
        long paramVersion = varint(in);
        String nodeId = string(in);
        String connectionId = string(in);
        String type = string(in);
        String outcome = string(in);
        String sessionId = (flags & SESSION) != 0 ? string(in) : null;
        String op = (flags & OP) != 0 ? string(in) : null;
        String experimentId = (flags & EXPERIMENT) != 0 ? string(in) : null;
        String arm = (flags & ARM) != 0 ? string(in) : null;
        Integer bucket = (flags & BUCKET) != 0 ? (int) varint(in) : null;
        return new FrameEvent(nodeId, connectionId, seq, sessionId, type, op,
                (flags & OUT) != 0 ? Direction.OUT : Direction.IN, wireBytes, rawBytes, (flags & COMPRESSED) != 0,
                latencyMicros, outcome, paramVersion, eventTimeMillis, experimentId, arm, bucket);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        buf.put(utf8);
    }

    private static long varint(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    private static String string(ByteBuffer in) {
        int len = (int) varint(in);
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }
}
