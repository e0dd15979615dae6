package qp.job.analytics;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import qp.job.windows.WindowStatsStage;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The analytics of the job: windows with sketches, 3σ detectors, bigrams, trends and rule-based recommendations.
 * The frames arrive with event-time timestamps and watermarks already assigned.
 */
public final class AnalyticsPipeline {
    private AnalyticsPipeline() {
    }

    public static AnalyticsOutputs build(DataStream<FrameEvent> frames, DataStream<NodeMetrics> nodeMetrics,
            AnalyticsSettings settings) {
        SingleOutputStreamOperator<WindowStats> byType = WindowStatsStage.byType(frames, settings.windows());
        SingleOutputStreamOperator<WindowStats> byNode = WindowStatsStage.byNode(frames, settings.windows());
        DataStream<WindowStats> windowStats = byType.union(byNode);
        if (settings.windows().slidingSizeMillis() > 0) {
            windowStats = windowStats.union(WindowStatsStage.slidingByNode(frames, settings.windows()));
        }
        // SKELETON: detectors, bigrams, trends and rules follow; until then these streams are empty.
        return new AnalyticsOutputs(windowStats, empty(byNode, Anomaly.class), empty(byNode, BigramWindow.class),
                empty(byNode, Recommendation.class), byType.getSideOutput(WindowStatsStage.LATE_FRAMES),
                empty(byNode, TrendReport.class));
    }

    private static <T> DataStream<T> empty(DataStream<WindowStats> in, Class<T> type) {
        return in.flatMap((FlatMapFunction<WindowStats, T>) (w, out) -> { }, TypeInformation.of(type))
                .name("todo-" + type.getSimpleName()).uid("todo-" + type.getSimpleName());
    }
}
