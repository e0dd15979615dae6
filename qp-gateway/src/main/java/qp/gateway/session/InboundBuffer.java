package qp.gateway.session;

import java.nio.ByteBuffer;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;

/**
 * The bytes of the binary message being received that do not yet form a whole frame. Reads go straight into it;
 * it starts at buffer_size and grows only to hold one frame up to max_frame_bytes, so a session never holds more
 * than one frame's worth of unprocessed input whatever the message size.
 */
final class InboundBuffer {
    private ByteBuffer buf;
    /** Start of the bytes not yet handed out as frames; data lies in [start, buf.position()). */
    private int start;

    InboundBuffer(int capacity) {
        buf = ByteBuffer.allocate(capacity);
    }

    /** The buffer to read into (write mode, with room). */
    ByteBuffer forRead() {
        return buf;
    }

    /**
     * Offset just past the last whole, well-formed-looking frame from {@code start}, or the negative of (offset + 1)
     * of a header that is already known to be bad (magic, type, length over the limit).
     */
    int scan(long maxFrameBytes) {
        int p = start;
        int end = buf.position();
        while (end - p >= Frame.HEADER_BYTES) {
            if (badHeader(p, maxFrameBytes)) {
                return -(p + 1);
            }
            long len = Integer.toUnsignedLong(buf.getInt(p + 3));
            if (end - p - Frame.HEADER_BYTES < len) {
                break;
            }
            p += Frame.HEADER_BYTES + (int) len;
        }
        return p;
    }

    private boolean badHeader(int p, long maxFrameBytes) {
        return buf.get(p) != 0x51 || buf.get(p + 1) != 0x50
                || MessageType.fromCode(buf.get(p + 2) & 0x7f) == null
                || Integer.toUnsignedLong(buf.getInt(p + 3)) > maxFrameBytes;
    }

    /** A view of [from, to) (the frame reader slices it; nothing writes through it). */
    ByteBuffer view(int from, int to) {
        return ByteBuffer.wrap(buf.array(), from, to - from);
    }

    int start() {
        return start;
    }

    int end() {
        return buf.position();
    }

    boolean isEmpty() {
        return start == buf.position();
    }

    /** Marks [start, to) as handed out, and makes room for the rest of the partial frame that follows. */
    void consumed(int to) {
        start = to;
        int end = buf.position();
        if (start == end) {
            buf.clear();
            start = 0;
            return;
        }
        int needed = end - start >= Frame.HEADER_BYTES
                ? Frame.HEADER_BYTES + buf.getInt(start + 3) // scan() checked it is within max_frame_bytes
                : Frame.HEADER_BYTES;
        if (needed > buf.capacity() - start) {
            // move the partial frame to the front, of a bigger buffer when it cannot fit otherwise
            ByteBuffer target = needed > buf.capacity() ? ByteBuffer.allocate(needed) : buf;
            System.arraycopy(buf.array(), start, target.array(), 0, end - start);
            target.clear().position(end - start);
            buf = target;
            start = 0;
        }
    }

    /** Drops everything; at a message boundary also returns to {@code capacity} when the buffer grew or it changed. */
    void reset(int capacity) {
        start = 0;
        if (buf.capacity() != capacity) {
            buf = ByteBuffer.allocate(capacity);
        } else {
            buf.clear();
        }
    }
}
