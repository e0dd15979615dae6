package qp.protocol.frame;

/** A message that breaks PROTOCOL.md: carries the error code to reply with and a reason a person can act on. */
public final class FrameException extends Exception {
    private final ErrorCode code;
    private final MessageType type;

    public FrameException(ErrorCode code, MessageType type, String reason) {
        super(reason);
        this.code = code;
        this.type = type;
    }

    /** The same error, its reason ending with where in the message the bad bytes start. */
    public FrameException at(long offset) {
        return new FrameException(code, type, getMessage() + " at offset " + offset);
    }

    public ErrorCode code() {
        return code;
    }

    /** The frame's type when the header was readable far enough to know it, else null. */
    public MessageType type() {
        return type;
    }
}
