package qp.gateway.events;

import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Where the gateway sends its frame events and node samples. Implementations never block the caller: a session
 * thread calls {@link #emitFrame} for every frame it handles.
 */
public interface EventEmitter extends AutoCloseable {

    /** Queues one frame event for {@code qp.frames}; returns at once. */
    void emitFrame(FrameEvent event);

    /** Queues one node sample for {@code qp.node-metrics}; returns at once. */
    void emitNodeMetrics(NodeMetrics sample);

    /** Counters for metrics and health. */
    EmitterStats stats();

    /** Flushes what is queued (to Kafka, or to the spool when Kafka is away) and releases resources. */
    @Override
    void close();
}
