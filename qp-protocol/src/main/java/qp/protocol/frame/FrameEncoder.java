package qp.protocol.frame;

import java.nio.ByteBuffer;

/** Writes QP frames: magic, type byte (bit 7 when compressed), big-endian length, payload. */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /** A frame with the payload as given, uncompressed. */
    public static byte[] encode(MessageType type, byte[] payload) {
        return encodeRaw(type, false, payload);
    }

    /** A frame whose payload is zlib-compressed when {@code compress} is true. */
    public static byte[] encode(MessageType type, byte[] rawPayload, boolean compress) {
        return compress ? encodeRaw(type, true, Zlib.compress(rawPayload)) : encodeRaw(type, false, rawPayload);
    }

    /** A frame with the payload exactly as given and the compressed bit as given (for tests of bad input too). */
    public static byte[] encodeRaw(MessageType type, boolean compressedBit, byte[] wirePayload) {
        ByteBuffer buf = ByteBuffer.allocate(Frame.HEADER_BYTES + wirePayload.length);
        writeHeader(buf, type.code() | (compressedBit ? FrameHeader.COMPRESSED_BIT : 0), wirePayload.length);
        buf.put(wirePayload);
        return buf.array();
    }

    /** @see FrameHeader#write */
    public static void writeHeader(ByteBuffer buf, int typeByte, int length) {
        FrameHeader.write(buf, typeByte, length);
    }

    /** Several frames back to back in one message, as a client may batch them. */
    public static byte[] concat(byte[]... frames) {
        int total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] f : frames) {
            buf.put(f);
        }
        return buf.array();
    }
}
