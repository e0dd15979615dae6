package qp.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import qp.protocol.json.QpJson;

/** The {@code --json} output: pretty-printed with the one mapper of QP. */
final class JsonOut {
    private static final ObjectWriter WRITER = QpJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT);

    private JsonOut() {
    }

    static String of(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
