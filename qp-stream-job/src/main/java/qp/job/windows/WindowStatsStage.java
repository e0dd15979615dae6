package qp.job.windows;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;

/**
 * The window operators over frames: per node and type, per node over all types (from the per-type windows, or from
 * every frame when windows allow lateness), and the optional sliding view.
 */
public final class WindowStatsStage {
    /** Frames too late for their window (after allowed lateness), from the per-type windows. */
    public static final OutputTag<FrameEvent> LATE_FRAMES =
            new OutputTag<>("late-frames", TypeInformation.of(FrameEvent.class));

    /** Each closed per-type window's accumulator, for the per-node windows; only when {@link #nodeRowsFromTypes}. */
    public static final OutputTag<TypeWindowPartial> TYPE_PARTIALS =
            new OutputTag<>("type-window-partials", TypeWindowPartialSerializer.TYPE);

    public static final TypeInformation<Tuple2<String, String>> NODE_TYPE = Types.TUPLE(Types.STRING, Types.STRING);
    public static final KeySelector<FrameEvent, Tuple2<String, String>> NODE_AND_TYPE = new NodeAndType();

    private static final class NodeAndType implements KeySelector<FrameEvent, Tuple2<String, String>> {
        @Override
        public Tuple2<String, String> getKey(FrameEvent f) {
            return Tuple2.of(f.nodeId(), f.type());
        }
    }

    private WindowStatsStage() {
    }

    /**
     * The per-type windows folded from every frame in one keyed operator, late frames to {@link #LATE_FRAMES}: the
     * same windows as {@link #byTypeFromPartials} (uid, key, assigner, trigger, accumulator), which the job runs; the
     * tests use this one as the reference for the windows' rows and partials.
     */
    public static SingleOutputStreamOperator<WindowStats> byType(DataStream<FrameEvent> frames,
            AnalyticsSettings.Windows w) {
        return typeWindows(frames.keyBy(NODE_AND_TYPE, NODE_TYPE), w)
                .sideOutputLateData(LATE_FRAMES)
                .aggregate(new FrameStatsAggregate(w.sketchRelativeAccuracy(), false),
                        new WindowStatsFunctions.ByType(nodeRowsFromTypes(w)),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-by-type").uid("window-stats-by-type");
    }

    /**
     * The frames folded into their per-type windows in the readers ({@link TypePartialsInReader}), chained to
     * {@code frames}: partials and the single-frame check's candidates, for the exchange by (node, type). Frames too
     * late for their window go to the side output {@link #LATE_FRAMES} of the returned stream.
     */
    public static SingleOutputStreamOperator<NodeTypeInput> partialsInReader(DataStream<FrameEvent> frames,
            AnalyticsSettings.Windows w, AnalyticsSettings.Detectors d) {
        return frames.transform("type-partials-in-reader", NodeTypeInputSerializer.TYPE, new TypePartialsInReader(w, d))
                .uid("type-partials-in-reader").setParallelism(frames.getParallelism());
    }

    /**
     * The per-type windows merged from the readers' partials, on a stream already keyed by (node, type) (chained
     * behind the single-frame check). Same uid and state as {@link #byType}, so a checkpoint of a build that folded
     * every frame here restores. A partial is never late (see {@link TypePartialsInReader}).
     */
    public static SingleOutputStreamOperator<WindowStats> byTypeFromPartials(
            KeyedStream<TypeWindowPartial, Tuple2<String, String>> partials, AnalyticsSettings.Windows w) {
        return typeWindows(partials, w)
                .aggregate(new TypeWindowStatsAggregate(w.sketchRelativeAccuracy(), false),
                        new WindowStatsFunctions.ByType(nodeRowsFromTypes(w)),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-by-type").uid("window-stats-by-type");
    }

    private static <T> WindowedStream<T, Tuple2<String, String>, TimeWindow> typeWindows(
            KeyedStream<T, Tuple2<String, String>> in, AnalyticsSettings.Windows w) {
        var windows = in.window(TumblingEventTimeWindows.of(Duration.ofMillis(w.sizeMillis())));
        if (w.allowedLatenessMillis() == 0) {
            windows = windows.trigger(FireAtCleanupTime.INSTANCE); // one timer registration per element, not two
        }
        return windows.allowedLateness(Duration.ofMillis(w.allowedLatenessMillis()));
    }

    /**
     * Whether the tumbling per-node rows are merged from the per-type windows' results ({@link #byNodeFromTypes})
     * rather than folded from every frame ({@link #byNode}). Only without allowed lateness: a per-type window that
     * fires again for a late frame emits its whole accumulator again, which the node window would count twice.
     */
    public static boolean nodeRowsFromTypes(AnalyticsSettings.Windows w) {
        return w.allowedLatenessMillis() == 0;
    }

    /**
     * The per-node tumbling rows from the per-type windows' partials (see {@link #nodeRowsFromTypes}): a partial
     * carries its window's last millisecond and comes before the watermark that closed its window, so it falls into
     * the same window here, which fires on that watermark. The operator is the one {@link #byNode} builds (uid, key
     * String, assigner, StatsAccumulator state), so a checkpoint of either restores into the other; its accumulator
     * holds the sum of what the node's window has seen either way. The one window open at a switch from the
     * per-frame path counts its frames from before the checkpoint twice (once restored here, once in the per-type
     * partials, which hold the whole window); later windows are exact. Allowed lateness 0: a partial is never late,
     * given that the edge never goes idle ({@link PartialsNeverIdle}).
     */
    public static SingleOutputStreamOperator<WindowStats> byNodeFromTypes(DataStream<TypeWindowPartial> partials,
            AnalyticsSettings.Windows w) {
        return partials
                .transform("type-partials-never-idle", TypeWindowPartialSerializer.TYPE, new PartialsNeverIdle())
                .name("type-partials-never-idle").uid("type-partials-never-idle")
                .setParallelism(partials.getParallelism())
                .keyBy(TypeWindowPartial::nodeId, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(w.sizeMillis())))
                .aggregate(new TypeWindowStatsAggregate(w.sketchRelativeAccuracy(), true),
                        new WindowStatsFunctions.ByNode(WindowView.TUMBLING),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-by-node").uid("window-stats-by-node");
    }

    /**
     * The fields the per-node windows read, cut from each frame in an operator chained to the one that makes the
     * frames (same parallelism), so the keyed edges by node carry a {@link NodeFrame}, not the whole frame event.
     */
    public static SingleOutputStreamOperator<NodeFrame> nodeFrames(DataStream<FrameEvent> frames) {
        return frames.map(NodeFrame::of).returns(NodeFrameSerializer.TYPE)
                .name("node-frame-fields").uid("node-frame-fields").setParallelism(frames.getParallelism());
    }

    /** The per-node tumbling rows folded from every frame; with allowed lateness (see {@link #nodeRowsFromTypes}). */
    public static SingleOutputStreamOperator<WindowStats> byNode(DataStream<NodeFrame> frames,
            AnalyticsSettings.Windows w) {
        return frames
                .keyBy(NodeFrame::nodeId, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(w.sizeMillis())))
                .allowedLateness(Duration.ofMillis(w.allowedLatenessMillis()))
                .aggregate(new NodeFrameStatsAggregate(w.sketchRelativeAccuracy()),
                        new WindowStatsFunctions.ByNode(WindowView.TUMBLING),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-by-node").uid("window-stats-by-node");
    }

    /** Per node over all types, sliding; only when {@code slidingSizeMillis > 0}. Detectors do not read it. */
    public static SingleOutputStreamOperator<WindowStats> slidingByNode(DataStream<NodeFrame> frames,
            AnalyticsSettings.Windows w) {
        return frames
                .keyBy(NodeFrame::nodeId, Types.STRING)
                .window(SlidingEventTimeWindows.of(Duration.ofMillis(w.slidingSizeMillis()),
                        Duration.ofMillis(w.slidingStepMillis())))
                .allowedLateness(Duration.ofMillis(w.allowedLatenessMillis()))
                .aggregate(new NodeFrameStatsAggregate(w.sketchRelativeAccuracy()),
                        new WindowStatsFunctions.ByNode(WindowView.SLIDING),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-sliding").uid("window-stats-sliding");
    }
}
