package qp.gateway.session;

import java.nio.ByteBuffer;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.FrameHeader;

/**
 * The bytes of the binary message being received that do not yet form a whole frame. Reads go straight into it;
 * it starts at buffer_size and grows only to hold one frame up to max_frame_bytes, so a session never holds more
 * than one frame's worth of unprocessed input whatever the message size.
 */
final class InboundBuffer {
    private ByteBuffer buf;
    /** Start of the bytes not yet handed out as frames; data lies in [start, buf.position()). */
    private int start;
    private FrameException badHeader;

    InboundBuffer(int capacity) {
        buf = ByteBuffer.allocate(capacity);
    }

    /** The buffer to read into (write mode, with room). */
    ByteBuffer forRead() {
        return buf;
    }

    /**
     * Offset just past the last whole frame from {@code start} whose header passes {@link FrameHeader#check}. When
     * the scan stopped at a bad header (magic, type, length over the limit), {@link #badHeader()} says why, and the
     * bad header starts at the returned offset.
     */
    int scan(long maxFrameBytes) {
        badHeader = null;
        int p = start;
        int end = buf.position();
        while (end - p >= Frame.HEADER_BYTES) {
            long length;
            try {
                length = FrameHeader.check(buf, p, maxFrameBytes);
            } catch (FrameException e) {
                badHeader = e;
                return p;
            }
            if (end - p - Frame.HEADER_BYTES < length) {
                break;
            }
            p += Frame.HEADER_BYTES + (int) length;
        }
        return p;
    }

    /** Why the last {@link #scan} stopped at a bad header, or null when it did not. */
    FrameException badHeader() {
        return badHeader;
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
                ? Frame.HEADER_BYTES + (int) FrameHeader.length(buf, start) // scan() checked it is within max_frame_bytes
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
