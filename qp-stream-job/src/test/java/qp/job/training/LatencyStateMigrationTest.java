package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.ModelReport;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * The latency trainer's state (its latest {@link NodeMetrics} per node and its sample of {@link TrainingRow}s) in a
 * checkpoint of the build before node samples named the experiment's parameter and values restores in this build.
 * The checkpoints under {@code src/test/resources/qp/job/training/} were written by {@link #main} at 7c4cd1f, before
 * NodeMetrics changed (NodeMetrics is a POJO to Flink: its serializer's snapshot names the fields, and the fields this
 * build added read as null). After the restore, the new samples name the experiment's parameter and values and a
 * treatment frame's row has the treatment value; the state, written again by this build, restores as well.
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
        h.setStateBackend(Harnesses.backend(backend));
        return h;
    }

    static String resource(String backend) {
        return "latency-state-before-arm-values-" + backend + ".snapshot";
    }

    /** The old build's last sample of edge-1 (no experiment) and of edge-2 (a session experiment running). */
    static NodeMetrics oldSample(String node, int second) {
        TunableParams p = TunableParams.defaults();
        String experiment = node.equals("edge-2") ? "ct-off-1024" : null;
        return new NodeMetrics(node, T0 + 1_000L * second, 10 + second, 10 + second, 1_000, 1_000, 0.25,
                100_000_000L + second, 1L << 30, 3 + second, 0, 0, 7, p, "instance-" + node, null, experiment, null, null, null, null);
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

    /** The row of the old build's input: the sample's load and params, as the frame's test input says. */
    static TrainingRow oldRow(String node, int second, int i) {
        NodeMetrics m = oldSample(node, second);
        return new TrainingRow(i == 0 ? "COMMAND" : "DATA", 100 * second + i, 107 + 100 * second + i, false,
                m.framesInPerSec(), 0.25, m.heapUsedBytes(), m.connections(), 8192, 30_000, 0, 100, 1 << 20, 7,
                1_000 + 10 * second + i, T0 + 1_000L * second + 100 + i);
    }

    static List<TrainingRow> oldRows(String node) {
        List<TrainingRow> out = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 2; i++) {
                out.add(oldRow(node, s, i));
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

    /** A sample of this build: edge-2 runs compression_threshold off -> 1024 for a share of its sessions. */
    static NodeMetrics newSample(String node, int second) {
        boolean experiment = node.equals("edge-2");
        return new NodeMetrics(node, T0 + 1_000L * second, 50, 50, 1_000, 1_000, 0.5, 200_000_000L, 1L << 30, 9, 0, 0,
                8, TunableParams.defaults(), "instance-" + node, null, experiment ? "ct-off-1024" : null, null,
                experiment ? "compression_threshold" : null, experiment ? 0L : null, experiment ? 1024L : null);
    }

    static NodeInput frame(String node, int second, int payload, String arm) {
        return new NodeInput(node, new NodeInput.FrameSample("COMMAND", payload, payload + 7, false, 2_000 + payload,
                T0 + 1_000L * second + 500, arm == null ? null : "ct-off-1024", arm, false), null);
    }

    /** What a frame of {@link #frame} joined with a sample of {@link #newSample} or {@link #oldSample} is. */
    static TrainingRow expected(NodeMetrics m, int second, int payload, long threshold) {
        return new TrainingRow("COMMAND", payload, payload + 7, false, m.framesInPerSec(), m.processCpuLoad(),
                m.heapUsedBytes(), m.connections(), 8192, 30_000, threshold, 100, 1 << 20, m.paramVersion(),
                2_000 + payload, T0 + 1_000L * second + 500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aCheckpointOfTheBuildBeforeTheArmValuesRestoresAndTreatmentRowsGetTheTreatmentValue(String backend)
            throws Exception {
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(resourcePath(resource(backend)));
        Map<String, List<TrainingRow>> expectedRows = new HashMap<>();
        expectedRows.put("edge-1", new ArrayList<>(oldRows("edge-1")));
        expectedRows.put("edge-2", new ArrayList<>(oldRows("edge-2")));
        OperatorSubtaskState migrated;
        try (var h = harness(backend)) {
            h.initializeState(old);
            h.open();
            for (String node : List.of("edge-1", "edge-2")) {
                assertThat(latest(h, node)).as("the old sample, without the new fields").isEqualTo(oldSample(node, 4));
                assertThat(rows(h, node)).containsExactlyInAnyOrderElementsOf(expectedRows.get(node));
            }
            // a treatment frame joined with the restored sample: it does not say what the treatment runs with
            h.processElement(new StreamRecord<>(frame("edge-2", 5, 900, "treatment")));
            expectedRows.get("edge-2").add(expected(oldSample("edge-2", 4), 5, 900, 0));
            for (String node : List.of("edge-1", "edge-2")) {
                h.processElement(new StreamRecord<>(NodeInput.of(newSample(node, 6))));
            }
            h.processElement(new StreamRecord<>(frame("edge-2", 6, 901, "treatment")));
            h.processElement(new StreamRecord<>(frame("edge-2", 6, 902, "control")));
            h.processElement(new StreamRecord<>(frame("edge-1", 6, 903, null)));
            expectedRows.get("edge-2").add(expected(newSample("edge-2", 6), 6, 901, 1024));
            expectedRows.get("edge-2").add(expected(newSample("edge-2", 6), 6, 902, 0));
            expectedRows.get("edge-1").add(expected(newSample("edge-1", 6), 6, 903, 0));
            migrated = h.snapshot(2, 0);
        }
        try (var h = harness(backend)) { // the state as this build wrote it
            h.initializeState(migrated);
            h.open();
            for (String node : List.of("edge-1", "edge-2")) {
                assertThat(latest(h, node)).isEqualTo(newSample(node, 6));
                assertThat(rows(h, node)).containsExactlyInAnyOrderElementsOf(expectedRows.get(node));
            }
        }
    }

    private static NodeMetrics latest(KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> h,
            String node) throws Exception {
        KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
        b.setCurrentKey(node);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("latest-metrics", TypeInformation.of(NodeMetrics.class))).value();
    }

    private static List<TrainingRow> rows(
            KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> h, String node)
            throws Exception {
        KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
        b.setCurrentKey(node);
        List<TrainingRow> out = new ArrayList<>();
        b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>(
                "sample", Types.INT, TypeInformation.of(TrainingRow.class))).values().forEach(out::add);
        return out;
    }

    private static String resourcePath(String name) throws URISyntaxException {
        var url = LatencyStateMigrationTest.class.getResource(name);
        assertThat(url).as("test resource " + name).isNotNull();
        return Path.of(url.toURI()).toString();
    }
}
