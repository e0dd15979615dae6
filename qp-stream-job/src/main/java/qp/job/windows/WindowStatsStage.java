package qp.job.windows;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import qp.job.analytics.AnalyticsSettings;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;

/** The window operators over frames: per node and type, per node over all types, and the optional sliding view. */
public final class WindowStatsStage {
    /** Frames too late for their window (after allowed lateness), from the per-type windows. */
    public static final OutputTag<FrameEvent> LATE_FRAMES =
            new OutputTag<>("late-frames", TypeInformation.of(FrameEvent.class));

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

    public static SingleOutputStreamOperator<WindowStats> byType(DataStream<FrameEvent> frames,
            AnalyticsSettings.Windows w) {
        return byType(frames.keyBy(NODE_AND_TYPE, NODE_TYPE), w);
    }

    /** The same on frames already keyed by (node, type), e.g. chained behind another operator with that key. */
    public static SingleOutputStreamOperator<WindowStats> byType(KeyedStream<FrameEvent, Tuple2<String, String>> frames,
            AnalyticsSettings.Windows w) {
        return frames
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(w.sizeMillis())))
                .allowedLateness(Duration.ofMillis(w.allowedLatenessMillis()))
                .sideOutputLateData(LATE_FRAMES)
                .aggregate(new FrameStatsAggregate(w.sketchRelativeAccuracy(), false), new WindowStatsFunctions.ByType(),
                        StatsAccumulatorTypeInfoFactory.INFO, StatsAccumulatorTypeInfoFactory.INFO,
                        TypeInformation.of(WindowStats.class))
                .name("window-stats-by-type").uid("window-stats-by-type");
    }

    /**
     * The fields the per-node windows read, cut from each frame in an operator chained to the one that makes the
     * frames (same parallelism), so the keyed edges by node carry a {@link NodeFrame}, not the whole frame event.
     */
    public static SingleOutputStreamOperator<NodeFrame> nodeFrames(DataStream<FrameEvent> frames) {
        return frames.map(NodeFrame::of).returns(NodeFrameSerializer.TYPE)
                .name("node-frame-fields").uid("node-frame-fields").setParallelism(frames.getParallelism());
    }

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
