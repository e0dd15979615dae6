package qp.job.training;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import qp.job.io.QpTypes;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * The learning half of the job: per node, a latency model trained on a sample of its replied frames (and a sample of the
 * frames it sent, for the bytes compression saves) joined with its
 * samples (and its recommendations), and a traffic anomaly model over its windows. Control commands
 * ({@code retrain}) reach both trainers of every node by broadcast.
 */
public final class TrainingPipeline {
    private static final TypeInformation<NodeInput> NODE_INPUT = NodeInputSerializer.TYPE;
    private static final TypeInformation<ModelReport> MODEL_REPORT = TypeInformation.of(ModelReport.class);

    private TrainingPipeline() {
    }

    /**
     * @param control     commands, or null when the job has none (then a stream that never emits stands in)
     * @param windowStats the analytics' window rows; the anomaly model reads the per-node tumbling ones
     */
    public static TrainingOutputs build(DataStream<FrameEvent> frames, DataStream<NodeMetrics> nodeMetrics,
            DataStream<ControlCommand> control, DataStream<WindowStats> windowStats, TrainingSettings settings) {
        // At the frames' parallelism, so that both chain to the operator that makes the frames: only the usable
        // frames, cut to what training reads and gathered per node between two watermarks, cross the network.
        DataStream<NodeInput> rows = frames
                .filter(NodeInput::usable).name("training-frames").uid("training-frames")
                .setParallelism(frames.getParallelism())
                .transform("training-rows", NODE_INPUT, new NodeRunsInReader()).uid("training-rows")
                .setParallelism(frames.getParallelism());
        DataStream<NodeInput> samples = nodeMetrics
                .map(NodeInput::of).returns(NODE_INPUT).name("training-node-samples").uid("training-node-samples");
        DataStream<ControlCommand> commands = control != null ? control : nodeMetrics
                .flatMap((NodeMetrics m, Collector<ControlCommand> out) -> { }).returns(QpTypes.CONTROL)
                .name("no-control").uid("no-control");
        BroadcastStream<ControlCommand> broadcast = commands.broadcast(LatencyTrainingFunction.CONTROL);
        SingleOutputStreamOperator<ModelReport> latency = rows.union(samples)
                .keyBy(NodeInput::nodeId, Types.STRING)
                .connect(broadcast)
                .process(new LatencyTrainingFunction(settings), MODEL_REPORT)
                .name("latency-model").uid("latency-model");

        SingleOutputStreamOperator<Anomaly> outliers = windowStats
                .filter(TrafficFeatures::usable).name("anomaly-model-windows").uid("anomaly-model-windows")
                .keyBy(WindowStats::nodeId, Types.STRING)
                .connect(broadcast)
                .process(new TrafficAnomalyFunction(settings), TypeInformation.of(Anomaly.class))
                .name("traffic-anomaly-model").uid("traffic-anomaly-model");

        return new TrainingOutputs(latency.union(outliers.getSideOutput(TrafficAnomalyFunction.MODELS)),
                latency.getSideOutput(LatencyTrainingFunction.RECOMMENDATIONS), outliers);
    }
}
