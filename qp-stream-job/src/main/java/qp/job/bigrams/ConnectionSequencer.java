package qp.job.bigrams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.protocol.events.FrameEvent;

/**
 * Per (node, connection): puts the frames of both directions in order (event time, then seq) once the watermark has
 * passed them, and emits each pair of consecutive message types. Frames wait in a list; the connection has one timer
 * at its earliest waiting frame, and when it fires every frame the watermark has passed is put in order at once, so
 * a connection costs about one timer per watermark step, not one per frame. The transitions carry their own event
 * time (use {@link TransitionWindows}: the records' timestamps are the timer's). A connection silent for
 * {@code idleMillis} (event time) is forgotten by a clean-up timer, which is set once and moved on only when it
 * fires. Frames already behind the watermark cannot be put in order any more: they are skipped here and counted in
 * the metric {@code bigramLateFrames} (the window stats count them as late frames).
 *
 * <p>State bounds. Pending frames: by time, a frame waits until the watermark passes it (the watermark delay plus one
 * periodic watermark step in steady traffic); by count, at most {@code maxPendingFrames} per connection, for when the
 * watermark stands still (a partition not yet idle, a stalled source). At that bound every waiting frame is put in
 * order at once, and a frame that comes later with an earlier time is skipped and counted like a late one.
 * Connections: one small state each, dropped {@code idleMillis} of event time after the connection's last frame.
 */
public final class ConnectionSequencer
        extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, TypeTransition> {
    private static final Comparator<PendingFrame> IN_ORDER =
            Comparator.comparingLong(PendingFrame::eventTimeMillis).thenComparingLong(PendingFrame::seq);
    /** Default bound of the frames one connection may have waiting for the watermark. */
    public static final int DEFAULT_MAX_PENDING_FRAMES = 100_000;
    private final long idleMillis;
    private final int maxPendingFrames;
    private transient ListState<PendingFrame> pending;
    private transient ValueState<ConnectionState> connection;
    private transient Counter lateFrames;

    public ConnectionSequencer(long idleMillis) {
        this(idleMillis, DEFAULT_MAX_PENDING_FRAMES);
    }

    public ConnectionSequencer(long idleMillis, int maxPendingFrames) {
        this.idleMillis = idleMillis;
        this.maxPendingFrames = maxPendingFrames;
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getListState(
                new ListStateDescriptor<>("pending", TypeInformation.of(PendingFrame.class)));
        connection = getRuntimeContext().getState(
                new ValueStateDescriptor<>("connection", TypeInformation.of(ConnectionState.class)));
        lateFrames = getRuntimeContext().getMetricGroup().counter("bigramLateFrames");
    }

    @Override
    public void processElement(FrameEvent f, Context ctx, Collector<TypeTransition> out) throws Exception {
        long t = f.eventTimeMillis();
        ConnectionState c = connection.value();
        boolean behindWhatWasPutInOrder = c != null && t < c.lastEventMillis(); // only after a flush at the bound
        if (t <= ctx.timerService().currentWatermark() || behindWhatWasPutInOrder) {
            lateFrames.inc();
            return;
        }
        pending.add(new PendingFrame(f.seq(), t, f.type()));
        if (c == null) {
            c = ConnectionState.first(t);
            ctx.timerService().registerEventTimeTimer(t);
        } else if (t < c.nextFrameTimerMillis()) { // a timer already waits at an earlier frame: nothing to do
            c = c.withNextFrameTimer(t);
            ctx.timerService().registerEventTimeTimer(t);
        }
        c = c.withPending(c.pendingFrames() + 1);
        if (c.pendingFrames() >= maxPendingFrames) { // the watermark stands still: do not let the list grow
            List<PendingFrame> all = new ArrayList<>();
            pending.get().forEach(all::add);
            c = emitInOrder(all, c, ctx.getCurrentKey().f0, out).withPending(0).withNextFrameTimer(Long.MAX_VALUE);
            pending.clear();
        }
        connection.update(c);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TypeTransition> out) throws Exception {
        ConnectionState c = connection.value();
        if (c == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        List<PendingFrame> ready = new ArrayList<>();
        List<PendingFrame> waiting = new ArrayList<>();
        long nextFrame = Long.MAX_VALUE;
        Iterable<PendingFrame> all = pending.get();
        if (all != null) {
            for (PendingFrame p : all) {
                if (p.eventTimeMillis() <= watermark) {
                    ready.add(p);
                } else {
                    waiting.add(p);
                    nextFrame = Math.min(nextFrame, p.eventTimeMillis());
                }
            }
        }
        if (!ready.isEmpty()) {
            c = emitInOrder(ready, c, ctx.getCurrentKey().f0, out);
            if (waiting.isEmpty()) {
                pending.clear();
            } else {
                pending.update(waiting);
            }
            c = c.withPending(waiting.size());
        }
        if (nextFrame != c.nextFrameTimerMillis() && nextFrame != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(nextFrame);
        }
        c = c.withNextFrameTimer(nextFrame);
        if (c.cleanupAtMillis() <= timestamp) { // the clean-up timer fired, or frames came after it had fired
            long silentUntil = c.lastEventMillis() + idleMillis;
            if (silentUntil <= watermark && waiting.isEmpty()) {
                connection.clear(); // silent for idleMillis: the connection is gone
                return;
            }
            if (silentUntil > watermark) {
                ctx.timerService().registerEventTimeTimer(silentUntil);
                c = c.withCleanupAt(silentUntil);
            }
        }
        connection.update(c);
    }

    private static ConnectionState emitInOrder(List<PendingFrame> ready, ConnectionState c, String nodeId,
            Collector<TypeTransition> out) {
        ready.sort(IN_ORDER);
        String lastType = c.lastType();
        for (PendingFrame p : ready) {
            if (lastType != null) {
                out.collect(new TypeTransition(nodeId, lastType, p.type(), p.eventTimeMillis()));
            }
            lastType = p.type();
        }
        PendingFrame last = ready.get(ready.size() - 1);
        return c.withLast(lastType, last.eventTimeMillis(), last.seq());
    }
}
