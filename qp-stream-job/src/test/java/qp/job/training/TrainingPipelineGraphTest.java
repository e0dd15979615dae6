package qp.job.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestFrames;
import qp.job.io.QpTypes;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/** The frames reach the latency model cut to a {@link NodeInput} on the frames' own thread, never whole. */
class TrainingPipelineGraphTest {

    @Test
    void theFramesAreFilteredAndCutInOperatorsChainedToTheFramesOperator() {
        StreamExecutionEnvironment env = Harnesses.environment();
        env.setParallelism(2);
        DataStream<FrameEvent> frames = env.fromData(List.of(TestFrames.frame("n1", "DATA", 0, 10)), QpTypes.FRAME)
                .setParallelism(1);
        DataStream<NodeMetrics> metrics = env.fromData(List.of(new NodeMetrics("n1", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                TunableParams.defaults())), QpTypes.NODE_METRICS);
        DataStream<WindowStats> windows = env.fromData(List.of(new WindowStats("n1", "*",
                qp.protocol.analytics.WindowView.TUMBLING, 0, 10_000, 5, 500, 0.5, 50, 1, 0.2, 4, 10, 20, 30, 31, 100,
                3, 104, 110, java.util.Map.of(), java.util.Map.of(), "AgAA")), TypeInformation.of(WindowStats.class));
        TrainingOutputs out = TrainingPipeline.build(frames, metrics, null, windows, TrainingSettings.defaults());
        out.models().sinkTo(new DiscardingSink<>());
        out.recommendations().sinkTo(new DiscardingSink<>());
        out.anomalies().sinkTo(new DiscardingSink<>());
        StreamGraph g = env.getStreamGraph();

        StreamNode filter = node(g, "training-frames");
        StreamNode cut = node(g, "training-rows");
        assertEquals(1, filter.getParallelism(), "the frames' parallelism");
        assertEquals(1, cut.getParallelism(), "the frames' parallelism");
        assertInstanceOf(ForwardPartitioner.class, filter.getInEdges().get(0).getPartitioner(), "no exchange");
        assertInstanceOf(ForwardPartitioner.class, cut.getInEdges().get(0).getPartitioner(), "no exchange");
        assertEquals(1, cut.getOutEdges().size());
        assertInstanceOf(KeyGroupStreamPartitioner.class, cut.getOutEdges().get(0).getPartitioner(), "keyed by node");
        assertEquals("latency-model", g.getStreamNode(cut.getOutEdges().get(0).getTargetId()).getTransformationUID());
    }

    private static StreamNode node(StreamGraph g, String uid) {
        return g.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst().orElseThrow();
    }
}
