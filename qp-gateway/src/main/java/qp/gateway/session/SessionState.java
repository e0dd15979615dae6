package qp.gateway.session;

/**
 * The life of a session. Only {@link Session#moveTo} changes it, and only along these arrows:
 * <pre>
 *   AWAITING_AUTH --good AUTH--> OPEN          (authentication off: a session starts OPEN)
 *        |                        |
 *        +------shutdown----------+--> DRAINING --last COMMAND answered--> CLOSING
 *        |                        |                                          ^
 *        +--protocol error, heartbeat timeout, refusal (ERROR + close)-------+
 *   any state --connection gone--> CLOSED;   CLOSING --client answers the close, or grace over--> CLOSED
 * </pre>
 */
enum SessionState {
    /** Connected, not authenticated: only AUTH and HEARTBEAT are accepted (PROTOCOL.md, Session 1). */
    AWAITING_AUTH,
    /** Authenticated, or authentication is off: every frame type is handled. */
    OPEN,
    /** Graceful shutdown: what arrives is read and dropped; the COMMANDs in flight are answered, then CLOSING. */
    DRAINING,
    /** The close frame is sent: nothing more is handled or answered; waiting for the client's close or the grace period. */
    CLOSING,
    /** The connection is gone. */
    CLOSED;

    boolean canMoveTo(SessionState next) {
        return switch (this) {
            case AWAITING_AUTH -> next == OPEN || next == DRAINING || next == CLOSING || next == CLOSED;
            case OPEN -> next == DRAINING || next == CLOSING || next == CLOSED;
            case DRAINING -> next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /** Frames that arrive are decoded and handled; in every later state they are read (for the close handshake) and dropped. */
    boolean handlesFrames() {
        return this == AWAITING_AUTH || this == OPEN;
    }

    /** Replies still go out: a COMMAND answered while the session drains is answered; after the close frame nothing is. */
    boolean sendsReplies() {
        return this != CLOSING && this != CLOSED;
    }
}
