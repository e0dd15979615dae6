package qp.job.pipeline;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import qp.job.analytics.AnalyticsSettings;
import qp.job.anomaly.ErrorBurstDetector;
import qp.job.anomaly.FrameLatencyCheck;
import qp.job.anomaly.LatencySpikeDetector;
import qp.job.anomaly.TypeMixShiftDetector;
import qp.job.bigrams.BigramStage;
import qp.job.experiments.ExperimentStatsStage;
import qp.job.rules.DefaultRules;
import qp.job.rules.RuleEngine;
import qp.job.trends.TrendFunction;
import qp.job.windows.NodeFrame;
import qp.job.windows.NodeTypeInput;
import qp.job.windows.TypeWindowPartial;
import qp.job.windows.TypeWindowPartialSerializer;
import qp.job.windows.WindowStatsStage;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The analytics of the job: windows with sketches, 3σ detectors, bigrams, trends, rule-based recommendations and the
 * per-arm statistics of running experiments.
 * The frames arrive with event-time timestamps and watermarks already assigned; node metrics need watermarks too
 * (or idleness) for the rules' state of silent nodes to be cleaned up.
 */
public final class AnalyticsPipeline {
    private static final TypeInformation<Tuple2<String, String>> NODE_TYPE = Types.TUPLE(Types.STRING, Types.STRING);
    private static final TypeInformation<Anomaly> ANOMALY = TypeInformation.of(Anomaly.class);
    private static final KeySelector<NodeTypeInput, Tuple2<String, String>> TYPE_INPUT_KEY =
            in -> Tuple2.of(in.nodeId(), in.type());
    private static final KeySelector<TypeWindowPartial, Tuple2<String, String>> PARTIAL_KEY =
            p -> Tuple2.of(p.nodeId(), p.type());

    private AnalyticsPipeline() {
    }

    public static AnalyticsOutputs build(DataStream<FrameEvent> frames, DataStream<NodeMetrics> nodeMetrics,
            AnalyticsSettings settings) {
        AnalyticsSettings.Detectors d = settings.detectors();
        // The frames are folded into their per-type windows in the readers, so the one keyed exchange by node/type
        // carries a partial per node, type and window and the few frames the single-frame latency check needs (each
        // block's slowest so far), not every frame. The check takes both, learns the typical frame from the partials
        // and passes them on to the per-type windows chained behind it with the same key. The other keyed edges carry
        // only what their operator reads (SequencedFrame, ExperimentFrame, NodeInput), cut in operators chained to
        // the frames' reader.
        SingleOutputStreamOperator<NodeTypeInput> typeInput =
                WindowStatsStage.partialsInReader(frames, settings.windows(), d);
        SingleOutputStreamOperator<TypeWindowPartial> checked = typeInput
                .keyBy(TYPE_INPUT_KEY, NODE_TYPE)
                .process(new FrameLatencyCheck(d), TypeWindowPartialSerializer.TYPE)
                .name("frame-latency-anomalies").uid("frame-latency-anomalies"); // same state as before: uid kept
        SingleOutputStreamOperator<WindowStats> byType = WindowStatsStage.byTypeFromPartials(
                DataStreamUtils.reinterpretAsKeyedStream(checked, PARTIAL_KEY, NODE_TYPE), settings.windows());
        // The per-node rows merge the per-type windows' results (one record per node, type and window), so the frames'
        // reader hands each frame to one keyed edge fewer. With allowed lateness a per-type window fires again with
        // its whole accumulator, so the node rows are then folded from every frame, as is the sliding view.
        AnalyticsSettings.Windows win = settings.windows();
        boolean rowsFromTypes = WindowStatsStage.nodeRowsFromTypes(win);
        boolean perFrameNodeEdge = !rowsFromTypes || win.slidingSizeMillis() > 0;
        DataStream<NodeFrame> nodeFrames = perFrameNodeEdge ? WindowStatsStage.nodeFrames(frames) : null;
        SingleOutputStreamOperator<WindowStats> byNode = rowsFromTypes
                ? WindowStatsStage.byNodeFromTypes(byType.getSideOutput(WindowStatsStage.TYPE_PARTIALS), win)
                : WindowStatsStage.byNode(nodeFrames, win);
        DataStream<WindowStats> windowStats = byType.union(byNode);
        if (win.slidingSizeMillis() > 0) {
            windowStats = windowStats.union(WindowStatsStage.slidingByNode(nodeFrames, win));
        }

        DataStream<Anomaly> latency = byType
                .keyBy(w -> Tuple2.of(w.nodeId(), w.type()), NODE_TYPE)
                .process(new LatencySpikeDetector(d), ANOMALY)
                .name("latency-anomalies").uid("latency-anomalies");
        DataStream<Anomaly> frameLatency = checked.getSideOutput(FrameLatencyCheck.ANOMALIES);
        DataStream<Anomaly> errors = byNode
                .keyBy(WindowStats::nodeId, Types.STRING)
                .process(new ErrorBurstDetector(d), ANOMALY)
                .name("error-bursts").uid("error-bursts");
        DataStream<Anomaly> typeMix = byNode
                .keyBy(WindowStats::nodeId, Types.STRING)
                .process(new TypeMixShiftDetector(d), ANOMALY)
                .name("type-mix-shifts").uid("type-mix-shifts");

        DataStream<BigramWindow> bigrams = BigramStage.bigrams(
                BigramStage.transitions(frames, settings.bigrams(), settings.windows()), settings.bigrams(),
                settings.windows());

        DataStream<TrendReport> trends = byNode
                .keyBy(WindowStats::nodeId, Types.STRING)
                .process(new TrendFunction(settings.trends(), d.keyIdleMillis()), TypeInformation.of(TrendReport.class))
                .name("trends").uid("trends");

        DataStream<Recommendation> recommendations = byNode
                .keyBy(WindowStats::nodeId, Types.STRING)
                .connect(nodeMetrics.keyBy(NodeMetrics::nodeId, Types.STRING))
                .process(new RuleEngine(settings.rules(), DefaultRules.all()), TypeInformation.of(Recommendation.class))
                .name("rule-recommendations").uid("rule-recommendations");

        DataStream<ExperimentStats> experimentStats = ExperimentStatsStage.stats(frames, settings.windows());

        return new AnalyticsOutputs(windowStats, latency.union(frameLatency, errors, typeMix), bigrams,
                recommendations, typeInput.getSideOutput(WindowStatsStage.LATE_FRAMES), trends, experimentStats);
    }
}
