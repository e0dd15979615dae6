package qp.job.bigrams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import qp.protocol.events.FrameEvent;

/**
 * Per (node, connection): puts the frames of both directions in order (event time, then seq) once the watermark has
 * passed them, and emits each pair of consecutive message types. Frames wait in a map keyed by their event time, with
 * one timer per distinct event time, so a timer touches only its own frames. A connection silent for
 * {@code idleMillis} (event time) is forgotten by a timer. Frames already behind the watermark cannot be put in order
 * any more: they are skipped here and counted in the metric {@code bigramLateFrames} (the window stats count them as
 * late frames).
 */
public final class ConnectionSequencer
        extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, TypeTransition> {
    private static final Comparator<PendingFrame> BY_SEQ = Comparator.comparingLong(PendingFrame::seq);
    private final long idleMillis;
    private transient MapState<Long, List<PendingFrame>> pending;
    private transient ValueState<ConnectionState> connection;
    private transient Counter lateFrames;

    public ConnectionSequencer(long idleMillis) {
        this.idleMillis = idleMillis;
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                Types.LIST(TypeInformation.of(PendingFrame.class))));
        connection = getRuntimeContext().getState(
                new ValueStateDescriptor<>("connection", TypeInformation.of(ConnectionState.class)));
        lateFrames = getRuntimeContext().getMetricGroup().counter("bigramLateFrames");
    }

    @Override
    public void processElement(FrameEvent f, Context ctx, Collector<TypeTransition> out) throws Exception {
        long t = f.eventTimeMillis();
        if (t <= ctx.timerService().currentWatermark()) {
            lateFrames.inc();
            return;
        }
        List<PendingFrame> atT = pending.get(t);
        List<PendingFrame> next = atT == null ? new ArrayList<>(1) : new ArrayList<>(atT);
        next.add(new PendingFrame(f.seq(), t, f.type()));
        pending.put(t, next);
        ctx.timerService().registerEventTimeTimer(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TypeTransition> out) throws Exception {
        ConnectionState c = connection.value();
        List<PendingFrame> ready = pending.get(timestamp);
        if (ready == null) {
            if (c != null && c.cleanupAtMillis() == timestamp && pending.isEmpty()) {
                connection.clear(); // silent for idleMillis: the connection is gone
            }
            return;
        }
        pending.remove(timestamp);
        List<PendingFrame> ordered = new ArrayList<>(ready);
        ordered.sort(BY_SEQ);
        String nodeId = ctx.getCurrentKey().f0;
        String lastType = c == null ? null : c.lastType();
        for (PendingFrame p : ordered) {
            if (lastType != null) {
                out.collect(new TypeTransition(nodeId, lastType, p.type(), p.eventTimeMillis()));
            }
            lastType = p.type();
        }
        PendingFrame last = ordered.get(ordered.size() - 1);
        long cleanupAt = timestamp + idleMillis;
        boolean oldTimerAlsoServesFrames = c != null && pending.contains(c.cleanupAtMillis());
        if (c != null && c.cleanupAtMillis() != cleanupAt && c.cleanupAtMillis() > timestamp
                && !oldTimerAlsoServesFrames) {
            ctx.timerService().deleteEventTimeTimer(c.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        connection.update(new ConnectionState(lastType, timestamp, last.seq(), cleanupAt));
    }
}
