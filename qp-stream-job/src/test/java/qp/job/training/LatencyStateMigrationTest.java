package qp.job.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.ModelReport;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * The latency trainer's state (its latest {@link NodeMetrics} per node and its sample of {@link TrainingRow}s) in a
 * checkpoint of the build before node samples named the experiment's parameter and values restores in this build.
 * The checkpoints under {@code src/test/resources/qp/job/training/} were written by {@link #main} at 7c4cd1f, before
 * NodeMetrics changed.
 */
class LatencyStateMigrationTest {
    static final long T0 = 1_700_000_000_000L;
    static final long TICK = 100;
    /** No training starts: processing time stays at 0 and the interval is long. */
    static final TrainingSettings SETTINGS = TrainingSettings.defaults().withRetrainIntervalMillis(3_600_000)
            .withSample(10, 1_000).withHorizonMillis(3_600_000).withTiming(TICK, 3_600_000);

    static KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> harness(String backend)
            throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LatencyTrainingFunction(SETTINGS), List.of(LatencyTrainingFunction.CONTROL)),
                NodeInput::nodeId, Types.STRING, 1, 1, 0);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.setStateBackend(backend(backend));
        return h;
    }

    static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    static String resource(String backend) {
        return "latency-state-before-arm-values-" + backend + ".snapshot";
    }

    /** The old build's last sample of edge-1 (no experiment) and of edge-2 (a session experiment running). */
    static NodeMetrics oldSample(String node, int second) {
        TunableParams p = TunableParams.defaults();
        String experiment = node.equals("edge-2") ? "ct-off-1024" : null;
        return new NodeMetrics(node, T0 + 1_000L * second, 10 + second, 10 + second, 1_000, 1_000, 0.25,
                100_000_000L + second, 1L << 30, 3 + second, 0, 0, 7, p, "instance-" + node, null, experiment, null);
    }

    /** Per node: a sample each second, then two replied frames of that second. */
    static List<NodeInput> oldInputs() {
        List<NodeInput> out = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            for (String node : List.of("edge-1", "edge-2")) {
                out.add(NodeInput.of(oldSample(node, s)));
                for (int i = 0; i < 2; i++) {
                    out.add(new NodeInput(node, new NodeInput.FrameSample(i == 0 ? "COMMAND" : "DATA", 100 * s + i,
                            107 + 100 * s + i, false, 1_000 + 10 * s + i, T0 + 1_000L * s + 100 + i), null));
                }
            }
        }
        return out;
    }

    /** Writes the checkpoints of both backends into {@code args[0]} with whatever classes are loaded. */
    public static void main(String[] args) throws Exception {
        for (String backend : List.of("heap", "rocksdb")) {
            try (var h = harness(backend)) {
                h.open();
                for (NodeInput in : oldInputs()) {
                    h.processElement(new StreamRecord<>(in));
                }
                OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 0), Path.of(args[0], resource(backend)).toString());
            }
        }
    }
}
