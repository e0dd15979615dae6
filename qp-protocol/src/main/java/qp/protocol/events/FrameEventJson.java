package qp.protocol.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
    /** One generator and buffer per thread, reused: creating them per event cost more than databind's look-up. */
    // Field names encoded once, as databind does; encoding them per call cost more than the look-up saved.
    private static final SerializedString NODE_ID = new SerializedString("nodeId");
    private static final SerializedString CONNECTION_ID = new SerializedString("connectionId");
    private static final SerializedString SEQ = new SerializedString("seq");
    private static final SerializedString SESSION_ID = new SerializedString("sessionId");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString OP = new SerializedString("op");
    private static final SerializedString DIRECTION = new SerializedString("direction");
    private static final SerializedString WIRE_BYTES = new SerializedString("wireBytes");
    private static final SerializedString RAW_BYTES = new SerializedString("rawBytes");
    private static final SerializedString COMPRESSED = new SerializedString("compressed");
    private static final SerializedString LATENCY_MICROS = new SerializedString("latencyMicros");
    private static final SerializedString OUTCOME = new SerializedString("outcome");
    private static final SerializedString PARAM_VERSION = new SerializedString("paramVersion");
    private static final SerializedString EVENT_TIME_MILLIS = new SerializedString("eventTimeMillis");
    private static final SerializedString EXPERIMENT_ID = new SerializedString("experimentId");
    private static final SerializedString ARM = new SerializedString("arm");
    private static final SerializedString BUCKET = new SerializedString("bucket");
    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

    private FrameEventJson() {
    }

    public static byte[] write(FrameEvent e) {
        return WRITERS.get().write(e);
    }

    private static final class Writer {
        private final ByteArrayBuilder out = new ByteArrayBuilder(512);
        private final JsonGenerator g;

        Writer() {
            try {
                g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(null); // one object per call, nothing between them
        }

        byte[] write(FrameEvent e) {
            try {
                g.writeStartObject();
                g.writeFieldName(NODE_ID);
                g.writeString(e.nodeId());
                g.writeFieldName(CONNECTION_ID);
                g.writeString(e.connectionId());
                g.writeFieldName(SEQ);
                g.writeNumber(e.seq());
                g.writeFieldName(SESSION_ID);
                g.writeString(e.sessionId());
                g.writeFieldName(TYPE);
                g.writeString(e.type());
                g.writeFieldName(OP);
                g.writeString(e.op());
                g.writeFieldName(DIRECTION);
                g.writeString(e.direction() == null ? null : e.direction().name());
                g.writeFieldName(WIRE_BYTES);
                g.writeNumber(e.wireBytes());
                g.writeFieldName(RAW_BYTES);
                g.writeNumber(e.rawBytes());
                g.writeFieldName(COMPRESSED);
                g.writeBoolean(e.compressed());
                g.writeFieldName(LATENCY_MICROS);
                g.writeNumber(e.latencyMicros());
                g.writeFieldName(OUTCOME);
                g.writeString(e.outcome());
                g.writeFieldName(PARAM_VERSION);
                g.writeNumber(e.paramVersion());
                g.writeFieldName(EVENT_TIME_MILLIS);
                g.writeNumber(e.eventTimeMillis());
                if (e.experimentId() != null) { // absent without an experiment, as databind leaves it (NON_NULL)
                    g.writeFieldName(EXPERIMENT_ID);
                    g.writeString(e.experimentId());
                }
                if (e.arm() != null) {
                    g.writeFieldName(ARM);
                    g.writeString(e.arm());
                }
                if (e.bucket() != null) {
                    g.writeFieldName(BUCKET);
                    g.writeNumber(e.bucket());
                }
                g.writeEndObject();
                g.flush();
                return out.toByteArray();
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write frame event " + e, ex);
            } finally {
                out.reset();
            }
        }
    }
}
