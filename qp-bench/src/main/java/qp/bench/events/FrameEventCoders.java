package qp.bench.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.FrameEventJson;
import qp.protocol.json.QpJson;

/** The candidates of {@link EventEncodingBenchmark} by name, and the events it measures them on. */
final class FrameEventCoders {
    private FrameEventCoders() {
    }

    /**
     * An IN COMMAND as {@code FrameRecorder} fills it after authentication: connection ids are {@code "c" + n},
     * session ids random UUIDs; no experiment running (the common case).
     */
    static FrameEvent realisticEvent() {
        return new FrameEvent("edge-1", "c42", 17, "3f2b8c1e-5a7d-4e09-9b61-2c8d0f4a7e55", "COMMAND", "echo",
                Direction.IN, 71, 64, false, 184, FrameEvent.OK, 3, 1_795_704_016_817L);
    }

    /** The same frame while a session-level experiment runs. */
    static FrameEvent experimentEvent() {
        FrameEvent e = realisticEvent();
        return new FrameEvent(e.nodeId(), e.connectionId(), e.seq(), e.sessionId(), e.type(), e.op(), e.direction(),
                e.wireBytes(), e.rawBytes(), e.compressed(), e.latencyMicros(), e.outcome(), e.paramVersion(),
                e.eventTimeMillis(), "x-rule-3f2b8c1e-5a7d-4e09", "treatment", 5);
    }

    static FrameEventCoder byName(String name) {
        return switch (name) {
            case "json" -> new Json();
            case "avroGeneric" -> new AvroGenericFrames();
            case "avroFields" -> new AvroFieldFrames();
            case "protobuf" -> new ProtobufFrames();
            case "fixedLayout" -> new FixedLayoutFrames();
            case "codec" -> new Codec();
            default -> throw new IllegalArgumentException("no coder " + name);
        };
    }

    /** Today's: the gateway's streaming writer, and databind's read as the job's SafeDeserializer did it for JSON. */
    static final class Json implements FrameEventCoder {
        @Override
        public byte[] encode(FrameEvent e) {
            return FrameEventJson.write(e);
        }

        @Override
        public FrameEvent decode(byte[] value) {
            try {
                return QpJson.read(value, FrameEvent.class);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** qp-protocol's {@link FrameEventCodec}: Avro's binary layout written and read by our own code. */
    static final class Codec implements FrameEventCoder {
        @Override
        public byte[] encode(FrameEvent e) {
            return FrameEventCodec.encode(e);
        }

        @Override
        public FrameEvent decode(byte[] value) {
            return FrameEventCodec.decode(value);
        }
    }
}
