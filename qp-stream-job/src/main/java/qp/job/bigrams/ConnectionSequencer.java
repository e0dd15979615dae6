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
 * passed them, and emits each pair of consecutive message types. A connection silent for {@code idleMillis}
 * (event time) is forgotten by a timer. Frames already behind the watermark cannot be put in order any more: they
 * are skipped here and counted in the metric {@code bigramLateFrames} (the window stats count them as late frames).
 */
public final class ConnectionSequencer
        extends KeyedProcessFunction<Tuple2<String, String>, FrameEvent, TypeTransition> {
    private static final Comparator<PendingFrame> ORDER =
            Comparator.comparingLong(PendingFrame::eventTimeMillis).thenComparingLong(PendingFrame::seq);
    private final long idleMillis;
    private transient ListState<PendingFrame> pending;
    private transient ValueState<ConnectionState> connection;
    private transient Counter lateFrames;

    public ConnectionSequencer(long idleMillis) {
        this.idleMillis = idleMillis;
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
        if (f.eventTimeMillis() <= ctx.timerService().currentWatermark()) {
            lateFrames.inc();
            return;
        }
        pending.add(new PendingFrame(f.seq(), f.eventTimeMillis(), f.type()));
        ctx.timerService().registerEventTimeTimer(f.eventTimeMillis());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TypeTransition> out) throws Exception {
        List<PendingFrame> ready = new ArrayList<>();
        List<PendingFrame> waiting = new ArrayList<>();
        for (PendingFrame p : pending.get()) {
            (p.eventTimeMillis() <= timestamp ? ready : waiting).add(p);
        }
        ConnectionState c = connection.value();
        if (ready.isEmpty()) {
            if (c != null && c.cleanupAtMillis() == timestamp && waiting.isEmpty()) {
                connection.clear(); // silent for idleMillis: the connection is gone
                pending.clear();
            }
            return;
        }
        ready.sort(ORDER);
        String nodeId = ctx.getCurrentKey().f0;
        String lastType = c == null ? null : c.lastType();
        PendingFrame last = null;
        for (PendingFrame p : ready) {
            if (lastType != null) {
                out.collect(new TypeTransition(nodeId, lastType, p.type(), p.eventTimeMillis()));
            }
            lastType = p.type();
            last = p;
        }
        long cleanupAt = last.eventTimeMillis() + idleMillis;
        if (c != null && c.cleanupAtMillis() != cleanupAt && c.cleanupAtMillis() > timestamp) {
            ctx.timerService().deleteEventTimeTimer(c.cleanupAtMillis());
        }
        ctx.timerService().registerEventTimeTimer(cleanupAt);
        connection.update(new ConnectionState(lastType, last.eventTimeMillis(), last.seq(), cleanupAt));
        pending.update(waiting);
    }
}
