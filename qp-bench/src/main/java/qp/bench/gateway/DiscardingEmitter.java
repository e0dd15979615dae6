package qp.bench.gateway;

import java.util.concurrent.atomic.LongAdder;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Counts events and throws them away: runs the gateway with everything but the event pipeline, so the benchmark can
 * show what the pipeline (encoding, producer, broker) costs, or serve a test whose subject is not the events. Never used
 * outside the benchmarks and their tests.
 */
public final class DiscardingEmitter implements EventEmitter {
    private final LongAdder count = new LongAdder();

    @Override
    public void emitFrame(FrameEvent event) {
        count.increment();
    }

    @Override
    public void emitNodeMetrics(NodeMetrics sample) {
        count.increment();
    }

    @Override
    public EmitterStats stats() {
        return new EmitterStats(0, 0, count.sum(), 0, false);
    }

    @Override
    public void close() {
    }
}
