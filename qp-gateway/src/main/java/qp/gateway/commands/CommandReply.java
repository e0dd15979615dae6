package qp.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import qp.protocol.frame.ErrorCode;
import qp.protocol.params.TunableParams;

/**
 * How a handler answers its COMMAND: exactly one {@code ack*} or {@code error}, from any thread (the session moves
 * the reply onto its IO thread). A second answer is ignored.
 */
public interface CommandReply {

    /** ACK {@code {"id": .., "result": <result>}}. */
    void ack(JsonNode result);

    /** ACK whose result is the given bytes, which must be one JSON value (echo uses this to return args unchanged). */
    void ackRaw(byte[] json, int offset, int length);

    /** ERROR {@code {"id": .., "code": .., "message": ..}}; the session stays open. */
    void error(String code, String message);

    default void error(ErrorCode code, String message) {
        error(code.wireCode(), message);
    }

    /** Sends {@code count} STREAM frames of this payload (only from the IO thread, before the ack). */
    void stream(int count, byte[] payload);

    /** The parameters in force for this session. */
    TunableParams params();
}
