package qp.job.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import qp.job.pipeline.AnalyticsOutputs;
import qp.job.pipeline.AnalyticsPipeline;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * The operator graph as the web UI shows it: every analytics operator named and with a uid, and the graph builds with
 * generic types disabled (a Kryo fallback anywhere fails while the serializers are created).
 */
class AnalyticsPipelineGraphTest {

    static StreamGraph graph(AnalyticsSettings settings) {
        StreamExecutionEnvironment env = Harnesses.environment();
        DataStream<FrameEvent> frames = env.fromData(java.util.List.of(TestFrames.frame("n1", "DATA", 0, 10)),
                TypeInformation.of(FrameEvent.class));
        DataStream<NodeMetrics> metrics = env.fromData(java.util.List.of(new NodeMetrics("n1", 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1, TunableParams.defaults())), TypeInformation.of(NodeMetrics.class));
        AnalyticsOutputs out = AnalyticsPipeline.build(frames, metrics, settings);
        out.windowStats().sinkTo(new DiscardingSink<>());
        out.anomalies().sinkTo(new DiscardingSink<>());
        out.bigrams().sinkTo(new DiscardingSink<>());
        out.recommendations().sinkTo(new DiscardingSink<>());
        out.lateFrames().sinkTo(new DiscardingSink<>());
        out.trends().sinkTo(new DiscardingSink<>());
        out.experimentStats().sinkTo(new DiscardingSink<>());
        return env.getStreamGraph();
    }

    @Test
    void everyAnalyticsOperatorIsNamedAndHasAUid() {
        Set<String> uids = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (StreamNode n : graph(AnalyticsSettings.defaults()).getStreamNodes()) {
            if (n.getTransformationUID() != null) {
                uids.add(n.getTransformationUID());
                names.add(n.getOperatorName());
            }
        }
        Set<String> expected = Set.of("window-stats-by-type", "window-stats-by-node", "latency-anomalies",
                "frame-latency-anomalies", "error-bursts", "type-mix-shifts", "connection-sequences-batched", "bigrams",
                "trends", "rule-recommendations", "experiment-frames", "experiment-stats",
                "experiment-frame-fields", "type-partials-never-idle",
                "type-partials-in-reader", "connection-runs-in-reader");
        assertEquals(new TreeSet<>(expected), uids);
        assertEquals(uids, names, "each operator's name is its uid");
    }

    @Test
    void framesWithoutAnExperimentStopAtAFilterChainedToTheFramesOperator() {
        StreamGraph g = graph(AnalyticsSettings.defaults());
        StreamNode filter = g.getStreamNodes().stream()
                .filter(n -> "experiment-frames".equals(n.getTransformationUID())).findFirst().orElseThrow();
        assertEquals(1, filter.getInEdges().size());
        StreamNode input = g.getStreamNode(filter.getInEdges().get(0).getSourceId());
        assertEquals(input.getParallelism(), filter.getParallelism(), "same parallelism as the frames' operator");
        assertInstanceOf(ForwardPartitioner.class,
                filter.getInEdges().get(0).getPartitioner(), "no network exchange before the filter");
    }

    @Test
    void noKeyedEdgeCarriesWholeFramesAndEachCutIsChainedToTheFramesOperator() {
        AnalyticsSettings s = AnalyticsSettings.defaults()
                .withWindows(AnalyticsSettings.Windows.defaults().withSliding(60_000, 10_000));
        StreamGraph g = graph(s);
        StreamNode framesNode = g.getStreamNodes().stream().filter(n -> n.getInEdges().isEmpty())
                .filter(n -> n.getOutEdges().stream().anyMatch(e -> "type-partials-in-reader".equals(
                        g.getStreamNode(e.getTargetId()).getTransformationUID()))).findFirst().orElseThrow();
        Set<String> keyedFromFrames = new TreeSet<>();
        Set<String> cuts = new TreeSet<>();
        for (var e : framesNode.getOutEdges()) {
            StreamNode target = g.getStreamNode(e.getTargetId());
            if (e.getPartitioner() instanceof KeyGroupStreamPartitioner) {
                keyedFromFrames.add(target.getTransformationUID());
            } else {
                assertInstanceOf(ForwardPartitioner.class, e.getPartitioner(), target.getOperatorName());
                assertEquals(framesNode.getParallelism(), target.getParallelism(), target.getOperatorName());
                cuts.add(target.getTransformationUID());
            }
        }
        assertEquals(Set.of(), keyedFromFrames, "whole frames cross no keyed edge");
        assertEquals(new TreeSet<>(Set.of("type-partials-in-reader", "node-frame-fields", "connection-runs-in-reader",
                "experiment-frames")), cuts);
        Map<String, String> carried = new TreeMap<>();
        for (StreamNode n : g.getStreamNodes()) {
            for (var e : n.getOutEdges()) {
                boolean cut = n.getTransformationUID() != null && Set.of("type-partials-in-reader", "node-frame-fields",
                        "connection-runs-in-reader", "experiment-frame-fields").contains(n.getTransformationUID());
                if (cut && e.getPartitioner() instanceof KeyGroupStreamPartitioner) {
                    carried.put(g.getStreamNode(e.getTargetId()).getTransformationUID(),
                            n.getTypeSerializerOut().getClass().getSimpleName());
                }
            }
        }
        assertEquals(Map.of("frame-latency-anomalies", "NodeTypeInputSerializer", "window-stats-sliding",
                "NodeFrameSerializer", "connection-sequences-batched", "SequencedRunSerializer", "experiment-stats",
                "ExperimentFrameSerializer"), carried);
    }

    /** The uid of the operator feeding {@code uid}'s one input, and the serializer of what crosses that edge. */
    private static String inputOf(StreamGraph g, String uid) {
        StreamNode n = g.getStreamNodes().stream().filter(s -> uid.equals(s.getTransformationUID())).findFirst()
                .orElseThrow();
        assertEquals(1, n.getInEdges().size(), uid);
        var e = n.getInEdges().get(0);
        StreamNode from = g.getStreamNode(e.getSourceId());
        var serializer = e.getOutputTag() == null ? from.getTypeSerializerOut()
                : e.getOutputTag().getTypeInfo().createSerializer(g.getExecutionConfig().getSerializerConfig());
        return from.getTransformationUID() + " " + serializer.getClass().getSimpleName();
    }

    @Test
    void withoutLatenessTheNodeRowsMergeThePerTypeWindowsAndNoFrameGoesToThemOneByOne() {
        StreamGraph g = graph(AnalyticsSettings.defaults());
        assertEquals("type-partials-never-idle TypeWindowPartialSerializer", inputOf(g, "window-stats-by-node"));
        assertEquals("window-stats-by-type TypeWindowPartialSerializer", inputOf(g, "type-partials-never-idle"));
        assertTrue(g.getStreamNodes().stream().noneMatch(n -> "node-frame-fields".equals(n.getTransformationUID())),
                "no per-frame edge to the node windows");
    }

    @Test
    void withAllowedLatenessTheNodeRowsAreFoldedFromEveryFrame() {
        StreamGraph g = graph(AnalyticsSettings.defaults()
                .withWindows(AnalyticsSettings.Windows.defaults().withAllowedLatenessMillis(2_000)));
        assertEquals("node-frame-fields NodeFrameSerializer", inputOf(g, "window-stats-by-node"));
    }

    @Test
    void theSlidingViewIsAnOperatorOfItsOwnWhenConfigured() {
        AnalyticsSettings s = AnalyticsSettings.defaults()
                .withWindows(AnalyticsSettings.Windows.defaults().withSliding(60_000, 10_000));
        assertTrue(graph(s).getStreamNodes().stream()
                .anyMatch(n -> "window-stats-sliding".equals(n.getTransformationUID())));
    }
}
