package qp.protocol.frame;

/**
 * Error codes carried in ERROR frames, with the WebSocket close code that follows when the error ends the session
 * (0 when the session stays open).
 */
public enum ErrorCode {
    BAD_FRAME(1002),
    /** BAD_FRAME for a text WebSocket message: same code on the wire, a different close code. */
    BAD_FRAME_TEXT(1003),
    FRAME_TOO_LARGE(1009),
    OVERLOADED(1013),
    AUTH_FAILED(1008),
    UNAUTHENTICATED(1008),
    UNKNOWN_OP(0),
    /** A COMMAND whose args do not fit its op (the session stays open). */
    BAD_ARGS(0),
    /** An extension op failed on its far side (upstream down, timed out, answered with an error). */
    UPSTREAM_ERROR(0),
    /** The server is shutting down and will not start new work. */
    SHUTTING_DOWN(1001);

    private final int closeCode;

    ErrorCode(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The WebSocket close code sent after the ERROR frame, or 0 when the session stays open. */
    public int closeCode() {
        return closeCode;
    }

    public boolean endsSession() {
        return closeCode != 0;
    }

    /** The code as written in the ERROR frame's JSON. */
    public String wireCode() {
        return this == BAD_FRAME_TEXT ? BAD_FRAME.name() : name();
    }
}
