package qp.gateway.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** An in-memory emitter for tests: keeps every event; {@link #dropped} can be raised to simulate a failing emitter. */
public final class CollectingEmitter implements EventEmitter {
    private final ConcurrentLinkedQueue<FrameEvent> frames = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<NodeMetrics> samples = new ConcurrentLinkedQueue<>();
    private final boolean keepFrames;
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong frameCount = new AtomicLong();
    public final AtomicBoolean closed = new AtomicBoolean();

    public CollectingEmitter() {
        this(true);
    }

    /** @param keepFrames false to count frame events without keeping them (fuzz: millions of events) */
    public CollectingEmitter(boolean keepFrames) {
        this.keepFrames = keepFrames;
    }

    @Override
    public void emitFrame(FrameEvent event) {
        frameCount.incrementAndGet();
        if (keepFrames) {
            frames.add(event);
        }
    }

    @Override
    public void emitNodeMetrics(NodeMetrics sample) {
        samples.add(sample);
    }

    @Override
    public EmitterStats stats() {
        return new EmitterStats(0, 0, frameCount.get(), dropped.get(), true);
    }

    @Override
    public void close() {
        closed.set(true);
    }

    public List<FrameEvent> frames() {
        return List.copyOf(frames);
    }

    public List<FrameEvent> frames(String connectionId) {
        return frames.stream().filter(e -> e.connectionId().equals(connectionId)).collect(Collectors.toList());
    }

    public List<NodeMetrics> samples() {
        return List.copyOf(samples);
    }

    public void clear() {
        frames.clear();
        samples.clear();
    }
}
