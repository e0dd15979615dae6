package qp.gateway;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** Passes every event on to the real emitter and remembers, in call order, what the gateway emitted. */
final class RecordingEmitter implements EventEmitter {
    private final EventEmitter delegate;
    private final ConcurrentLinkedQueue<FrameEvent> frames = new ConcurrentLinkedQueue<>();

    RecordingEmitter(EventEmitter delegate) {
        this.delegate = delegate;
    }

    @Override
    public void emitFrame(FrameEvent event) {
        frames.add(event);
        delegate.emitFrame(event);
    }

    @Override
    public void emitNodeMetrics(NodeMetrics sample) {
        delegate.emitNodeMetrics(sample);
    }

    @Override
    public EmitterStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }

    List<FrameEvent> frames() {
        return List.copyOf(frames);
    }

    /** Per connection, the events in the order the gateway emitted them (one IO thread per connection). */
    List<FrameEvent> frames(String connectionId) {
        return frames.stream().filter(e -> e.connectionId().equals(connectionId)).collect(Collectors.toList());
    }
}
