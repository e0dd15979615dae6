package qp.protocol.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

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
 * @param experimentId    the experiment running on the node when the frame was handled, else null (and absent in JSON)
 * @param arm             the arm the frame ran under ({@code control} or {@code treatment}), null without experiment;
 *                        a session-level experiment's frames before the session is identified count as control
 * @param bucket          the experiment's replicate: the session's bucket (0..7) under session assignment, the block
 *                        number under switchback; null without experiment
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
        long eventTimeMillis,
        @JsonInclude(JsonInclude.Include.NON_NULL) String experimentId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String arm,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer bucket) {

    public static final String OK = "ok";
    public static final String INVALID_TYPE = "INVALID";

    /** A frame handled while no experiment ran on its node. */
    public FrameEvent(String nodeId, String connectionId, long seq, String sessionId, String type, String op,
            Direction direction, int wireBytes, int rawBytes, boolean compressed, long latencyMicros, String outcome,
            long paramVersion, long eventTimeMillis) {
        this(nodeId, connectionId, seq, sessionId, type, op, direction, wireBytes, rawBytes, compressed, latencyMicros,
                outcome, paramVersion, eventTimeMillis, null, null, null);
    }

    /** Derived from {@code outcome}; not a field on the wire. */
    @JsonIgnore
    public boolean isError() {
        return !OK.equals(outcome);
    }
}
