package qp.protocol.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One frame the gateway handled, good or bad: the record of topic {@code qp.frames}, keyed by connection id.
 *
 * @param nodeId          the gateway node that handled the frame
 * @param connectionId    the WebSocket connection, unique per node
 * @param seq             the event's sequence number within the connection, from 0: (node, connection, seq) is the event's identity
 * @param sessionId       the session id once authenticated, else null
 * @param type            the message type name ({@code COMMAND} ...), or {@code INVALID} when the header was unreadable
 * @param op              the COMMAND's op, else null
 * @param direction       IN from the client, OUT to it
 * @param wireBytes       bytes on the wire: header plus payload as sent
 * @param rawBytes        payload bytes after decompression
 * @param compressed      whether the payload was zlib-compressed on the wire
 * @param latencyMicros   IN: from receiving the message to the reply written (0 when there is no reply);
 *                        OUT: from receiving the request it answers to this frame written
 * @param outcome         {@code ok}, or the error code the frame led to ({@code BAD_FRAME}, {@code UNKNOWN_OP} ...)
 * @param paramVersion    the version of the tunable parameters in force when it was handled
 * @param eventTimeMillis epoch millis when the frame was received (IN) or written (OUT)
 */
public record FrameEvent(
        String nodeId,
        String connectionId,
        long seq,
        String sessionId,
        String type,
        String op,
        Direction direction,
        int wireBytes,
        int rawBytes,
        boolean compressed,
        long latencyMicros,
        String outcome,
        long paramVersion,
        long eventTimeMillis) {

    public static final String OK = "ok";
    public static final String INVALID_TYPE = "INVALID";

    /** Derived from {@code outcome}; not a field on the wire. */
    @JsonIgnore
    public boolean isError() {
        return !OK.equals(outcome);
    }
}
