package qp.protocol.frame;

/**
 * One QP frame as read off the wire.
 *
 * @param type       the message type
 * @param compressed whether bit 7 was set, i.e. {@code payload} was a zlib stream on the wire
 * @param payload    the payload after decompression
 * @param wireBytes  the frame's size on the wire: 7 header bytes plus the payload as sent
 */
public record Frame(MessageType type, boolean compressed, byte[] payload, int wireBytes) {

    public static final int HEADER_BYTES = FrameHeader.BYTES;

    public int rawBytes() {
        return payload.length;
    }
}
