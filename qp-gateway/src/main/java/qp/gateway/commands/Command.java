package qp.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import qp.protocol.json.QpJson;

/**
 * A parsed COMMAND. The args object is kept as the slice of the payload it came in, so {@code echo} returns it
 * byte for byte and handlers that need a tree parse it only then.
 *
 * @param id         the client's request id
 * @param op         the op name
 * @param payload    the COMMAND payload (UTF-8 JSON)
 * @param argsOffset where the args object starts in {@code payload}
 * @param argsLength its length in bytes; 0 when the COMMAND had no args (or {@code "args": null})
 */
public record Command(long id, String op, byte[] payload, int argsOffset, int argsLength) {

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    public boolean hasArgs() {
        return argsLength > 0;
    }

    /** The args as a tree; an empty object when there were none. */
    public JsonNode args() throws IOException {
        return hasArgs() ? QpJson.mapper().readTree(payload, argsOffset, argsLength) : QpJson.object();
    }

    /** The args as raw JSON bytes (a copy); {@code {}} when there were none. */
    public byte[] argsBytes() {
        if (!hasArgs()) {
            return EMPTY_OBJECT.clone();
        }
        byte[] out = new byte[argsLength];
        System.arraycopy(payload, argsOffset, out, 0, argsLength);
        return out;
    }
}
