package qp.gateway.events;

import java.util.function.Function;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventCodec;
import qp.protocol.events.FrameEventJson;
import qp.protocol.events.NodeMetrics;
import qp.protocol.events.NodeMetricsCodec;
import qp.protocol.json.QpJson;

/**
 * How the gateway writes the values of {@code qp.frames} and {@code qp.node-metrics} (docs/EVENT-ENCODING.md). Binary
 * by default; JSON holds a gateway on what readers from before the binary encoding understand, for an upgrade in which
 * the job and the agent move first.
 */
public enum EventFormat {
    /** Avro binary encoding by {@link FrameEventCodec} and {@link NodeMetricsCodec}, version 1.1. */
    BINARY {
        @Override
        byte[] frame(FrameEvent e) {
            return FrameEventCodec.encode(e);
        }

        @Override
        Function<FrameEvent, byte[]> frameWriter() {
            return new FrameEventCodec.Encoder()::encode;
        }

        @Override
        byte[] nodeMetrics(NodeMetrics m) {
            return NodeMetricsCodec.encode(m);
        }
    },
    /** The JSON every gateway wrote before the binary encoding. */
    JSON {
        @Override
        byte[] frame(FrameEvent e) {
            return FrameEventJson.write(e); // streaming: databind's serializer look-up cost ~1 µs per event
        }

        @Override
        byte[] nodeMetrics(NodeMetrics m) {
            return QpJson.bytes(m);
        }
    };

    abstract byte[] frame(FrameEvent e);

    /** {@link #frame} for the one thread that calls it, the sender: it may keep its buffer between events. */
    Function<FrameEvent, byte[]> frameWriter() {
        return this::frame;
    }

    abstract byte[] nodeMetrics(NodeMetrics m);
}
