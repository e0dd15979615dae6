package qp.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import qp.protocol.json.QpJson;

/**
 * An AUTH payload: the token as UTF-8 text, or JSON {@code {"token": "...", "compression": true}}. A payload that
 * starts with '{' is read as JSON; when it is not JSON with a string token, the token is taken as invalid.
 *
 * @param token       the token bytes (UTF-8), null when the JSON form was unusable
 * @param compression whether the client asked the server to compress what it sends
 */
record AuthRequest(byte[] token, boolean compression) {

    static AuthRequest parse(byte[] payload) {
        if (payload.length == 0 || payload[0] != '{') {
            return new AuthRequest(payload, false);
        }
        try {
            JsonNode json = QpJson.tree(payload);
            JsonNode token = json.get("token");
            if (token == null || !token.isTextual()) {
                return new AuthRequest(null, false);
            }
            JsonNode compression = json.get("compression");
            return new AuthRequest(token.asText().getBytes(StandardCharsets.UTF_8),
                    compression != null && compression.asBoolean(false));
        } catch (IOException e) {
            return new AuthRequest(null, false);
        }
    }
}
