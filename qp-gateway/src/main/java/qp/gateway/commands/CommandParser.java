package qp.gateway.commands;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import qp.protocol.frame.ErrorCode;
import qp.protocol.frame.FrameException;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * Parses a COMMAND payload in one streaming pass: {@code {"id": <int64>, "op": <string>, "args": <object, optional>}}.
 * Anything else (not JSON, not an object, no integer id, no string op, args not an object, trailing bytes) is
 * "malformed COMMAND JSON": BAD_FRAME.
 */
public final class CommandParser {
    private static final JsonFactory FACTORY = QpJson.mapper().getFactory();

    private CommandParser() {
    }

    public static Command parse(byte[] payload) throws FrameException {
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("the payload is not a JSON object");
            }
            boolean hasId = false;
            long id = 0;
            String op = null;
            int argsOffset = 0;
            int argsLength = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            throw bad("\"id\" must be an integer (int64)");
                        }
                        id = p.getLongValue();
                        hasId = true;
                    }
                    case "op" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            throw bad("\"op\" must be a string");
                        }
                        op = p.getText();
                    }
                    case "args" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            argsLength = 0;
                        } else if (v == JsonToken.START_OBJECT) {
                            argsOffset = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            argsLength = (int) p.currentLocation().getByteOffset() - argsOffset;
                        } else {
                            throw bad("\"args\" must be a JSON object");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw bad("the JSON object is not closed");
            }
            if (p.nextToken() != null) {
                throw bad("bytes after the JSON object");
            }
            if (!hasId) {
                throw bad("no \"id\"");
            }
            if (op == null) {
                throw bad("no \"op\"");
            }
            return new Command(id, op, payload, argsOffset, argsLength);
        } catch (JsonProcessingException e) {
            throw bad("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("unreadable: " + e.getMessage());
        }
    }

    private static FrameException bad(String why) {
        return new FrameException(ErrorCode.BAD_FRAME, MessageType.COMMAND, "malformed COMMAND: " + why);
    }
}
