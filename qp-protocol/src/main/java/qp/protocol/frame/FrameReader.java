package qp.protocol.frame;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads the frames of one binary WebSocket message in order. A message holds whole frames back to back; the
 * first bytes that break PROTOCOL.md raise a {@link FrameException} and the caller ends the session. Frames
 * before the bad bytes are returned first and handled as usual.
 */
public final class FrameReader {
    private final ByteBuffer buf;
    private final long maxFrameBytes;

    /**
     * @param message       the whole binary message
     * @param maxFrameBytes the largest payload accepted, both as sent and after decompression
     */
    public FrameReader(ByteBuffer message, long maxFrameBytes) {
        this.buf = message.slice();
        this.maxFrameBytes = maxFrameBytes;
    }

    public boolean hasNext() {
        return buf.hasRemaining();
    }

    /** Bytes not yet read; after a FrameException, what the bad frame left unread. */
    public int remaining() {
        return buf.remaining();
    }

    public Frame next() throws FrameException {
        if (buf.remaining() < Frame.HEADER_BYTES) {
            int left = buf.remaining();
            buf.position(buf.limit());
            throw new FrameException(ErrorCode.BAD_FRAME, null,
                    left + " trailing byte(s) do not form a whole frame (a header is 7 bytes)");
        }
        int start = buf.position();
        long length;
        try {
            length = FrameHeader.check(buf, start, maxFrameBytes);
        } catch (FrameException e) {
            buf.position(buf.limit());
            throw e.at(start);
        }
        MessageType type = FrameHeader.type(buf, start);
        boolean compressed = FrameHeader.compressed(buf, start);
        int available = buf.remaining() - Frame.HEADER_BYTES;
        if (length > available) {
            buf.position(buf.limit());
            throw new FrameException(ErrorCode.BAD_FRAME, type,
                    "length " + length + " but only " + available + " payload byte(s) follow in the message");
        }
        int payloadStart = start + Frame.HEADER_BYTES;
        byte[] wirePayload = new byte[(int) length];
        buf.get(payloadStart, wirePayload);
        buf.position(payloadStart + (int) length);
        int wireBytes = Frame.HEADER_BYTES + (int) length;
        byte[] payload = compressed ? Zlib.decompress(wirePayload, maxFrameBytes, type) : wirePayload;
        return new Frame(type, compressed, payload, wireBytes);
    }

    /** Convenience for tests and clients: every frame of a message, or the first error. */
    public static Frame[] readAll(ByteBuffer message, long maxFrameBytes) throws FrameException {
        FrameReader reader = new FrameReader(message, maxFrameBytes);
        Frame[] out = new Frame[4];
        int n = 0;
        while (reader.hasNext()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = reader.next();
        }
        return Arrays.copyOf(out, n);
    }
}
