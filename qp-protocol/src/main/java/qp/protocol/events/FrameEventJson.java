package qp.protocol.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import qp.protocol.json.QpJson;

/**
 * Writes a {@link FrameEvent} as JSON with Jackson's streaming generator: the same bytes as {@code QpJson.bytes(event)}
 * (same fields, same order), without databind's per-call serializer look-up. The gateway writes one per frame, so
 * this is on its hot path; {@code FrameEventJsonTest} holds the two outputs equal.
 */
public final class FrameEventJson {
    private static final JsonFactory FACTORY = QpJson.mapper().getFactory();

    private FrameEventJson() {
    }

    public static byte[] write(FrameEvent e) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler(), 320);
                JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("nodeId", e.nodeId());
            g.writeStringField("connectionId", e.connectionId());
            g.writeNumberField("seq", e.seq());
            g.writeStringField("sessionId", e.sessionId());
            g.writeStringField("type", e.type());
            g.writeStringField("op", e.op());
            g.writeStringField("direction", e.direction() == null ? null : e.direction().name());
            g.writeNumberField("wireBytes", e.wireBytes());
            g.writeNumberField("rawBytes", e.rawBytes());
            g.writeBooleanField("compressed", e.compressed());
            g.writeNumberField("latencyMicros", e.latencyMicros());
            g.writeStringField("outcome", e.outcome());
            g.writeNumberField("paramVersion", e.paramVersion());
            g.writeNumberField("eventTimeMillis", e.eventTimeMillis());
            g.writeEndObject();
            g.flush();
            byte[] bytes = out.toByteArray();
            out.release();
            return bytes;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write frame event " + e, ex);
        }
    }
}
