package qp.protocol.frame;

import java.nio.ByteBuffer;

/**
 * The 7-byte QP header of PROTOCOL.md ("Frame"): magic {@code 0x51 0x50}, type byte (bit 7: compressed), big-endian
 * unsigned length. The one place that writes it and the one place that checks it; the frame reader, the gateway's
 * streaming decoder and the encoder all go through here.
 */
public final class FrameHeader {
    public static final int BYTES = 7;
    /** "QP". */
    public static final byte MAGIC_0 = 0x51;
    public static final byte MAGIC_1 = 0x50;
    public static final int COMPRESSED_BIT = 0x80;

    private FrameHeader() {
    }

    public static void write(ByteBuffer buf, int typeByte, int length) {
        buf.put(MAGIC_0).put(MAGIC_1).put((byte) typeByte).putInt(length);
    }

    /**
     * Checks the header at {@code at} ({@link #BYTES} bytes must be there) and returns its payload length.
     *
     * The reason says what is wrong, not where: the caller knows the offset that means something to the client.
     *
     * @throws FrameException BAD_FRAME for a wrong magic or an unknown type code, FRAME_TOO_LARGE for a length over
     *                        {@code maxFrameBytes}
     */
    public static long check(ByteBuffer buf, int at, long maxFrameBytes) throws FrameException {
        if (buf.get(at) != MAGIC_0 || buf.get(at + 1) != MAGIC_1) {
            throw new FrameException(ErrorCode.BAD_FRAME, null, String.format(
                    "wrong magic 0x%02x%02x (expected 0x5150, \"QP\")", buf.get(at), buf.get(at + 1)));
        }
        MessageType type = type(buf, at);
        if (type == null) {
            throw new FrameException(ErrorCode.BAD_FRAME, null,
                    String.format("unknown type code 0x%02x", buf.get(at + 2) & 0x7f));
        }
        long length = length(buf, at);
        if (length > maxFrameBytes) {
            throw new FrameException(ErrorCode.FRAME_TOO_LARGE, type,
                    "payload length " + length + " is over max_frame_bytes " + maxFrameBytes);
        }
        return length;
    }

    /** The type of the header at {@code at}, or null when its code is not one of PROTOCOL.md's. */
    public static MessageType type(ByteBuffer buf, int at) {
        return MessageType.fromCode(buf.get(at + 2) & 0x7f);
    }

    public static boolean compressed(ByteBuffer buf, int at) {
        return (buf.get(at + 2) & COMPRESSED_BIT) != 0;
    }

    /** The payload length the header at {@code at} declares, unchecked. */
    public static long length(ByteBuffer buf, int at) {
        return Integer.toUnsignedLong(buf.getInt(at + 3));
    }
}
