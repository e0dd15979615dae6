package qp.protocol.frame;

/** The QP message types of PROTOCOL.md, with their one-byte codes (bits 0-6 of the type byte). */
public enum MessageType {
    COMMAND(0x01),
    DATA(0x02),
    STREAM(0x03),
    ACK(0x04),
    ERROR(0x05),
    AUTH(0x06),
    HEARTBEAT(0x07);

    private static final MessageType[] BY_CODE = new MessageType[0x80];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code (bits 0-6), or null when the code is not one of PROTOCOL.md's. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
