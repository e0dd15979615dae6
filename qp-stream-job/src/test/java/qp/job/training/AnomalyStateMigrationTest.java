package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.ModelReport;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.WindowStats;
import qp.protocol.control.ControlCommand;

/**
 * A checkpoint of the traffic anomaly operator taken by the build before the false-alarm budget (a962714: a model of
 * format 1, its threshold at the contamination quantile) restores in this build: the old model is not used, a new one
 * is trained from the restored window history at the next tick and goes on, through another checkpoint, as this
 * build's. The checkpoint under {@code src/test/resources/qp/job/training/} was written by {@link #main} run at
 * a962714 (the test classes of that commit, this class added to them).
 */
class AnomalyStateMigrationTest {
    static final long TICK = 100;
    static final String RESOURCE = "anomaly-state-contamination-model-heap.snapshot";

    static KeyedBroadcastOperatorTestHarness<String, WindowStats, ControlCommand, Anomaly> harness() throws Exception {
        TrainingSettings settings = TrainingSettings.defaults().withTiming(TICK, 3_600_000);
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new TrafficAnomalyFunction(settings), List.of(LatencyTrainingFunction.CONTROL)),
                WindowStats::nodeId, Types.STRING, 1, 1, 0);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.setStateBackend(new HashMapStateBackend());
        return h;
    }

    static List<GeneratedWindows.Labelled> oldWindows() {
        return GeneratedWindows.scenario("edge-1", 60, 0.0, 11);
    }

    /** Writes the checkpoint into {@code args[0]} with whatever TrafficAnomalyFunction and model are loaded. */
    public static void main(String[] args) throws Exception {
        try (var h = harness()) {
            h.open();
            for (GeneratedWindows.Labelled l : oldWindows()) {
                h.processElement(new StreamRecord<>(l.window()));
            }
            long[] now = {0};
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                now[0] += TICK;
                h.setProcessingTime(now[0]);
                var side = h.getSideOutput(TrafficAnomalyFunction.MODELS);
                return side != null && !side.isEmpty();
            });
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, now[0]), Path.of(args[0], RESOURCE).toString());
        }
    }

    @Test
    void aCheckpointWithAModelOfTheBuildBeforeTheBudgetRestoresRetrainsAndKeepsGoing() throws Exception {
        var url = AnomalyStateMigrationTest.class.getResource(RESOURCE);
        assertThat(url).as("test resource " + RESOURCE).isNotNull();
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(Path.of(url.toURI()).toString());
        List<GeneratedWindows.Labelled> later = GeneratedWindows.scenario("edge-1", 40, 0.0, 12);
        OperatorSubtaskState migrated;
        long[] now = {0};
        try (var h = harness()) {
            h.initializeState(old);
            h.open();
            for (int i = 0; i < 5; i++) {
                h.processElement(new StreamRecord<>(later.get(i).window()));
            }
            List<ModelReport> models = tickUntilModel(h, now);
            assertThat(models).extracting(ModelReport::version).containsExactly("traffic-anomaly/edge-1/v2");
            assertThat(models.get(0).rows()).as("the restored history and the new windows").isEqualTo(60 + 5);
            assertThat(models.get(0).detail()).contains("false-alarm budget of 0.00278");
            assertThat(h.extractOutputValues()).as("the old model judged nothing").isEmpty();
            migrated = h.snapshot(2, now[0]);
        }
        try (var h = harness()) { // this build's state: the new model is read back and judges
            h.initializeState(migrated);
            h.open();
            for (int i = 5; i < 15; i++) {
                h.processElement(new StreamRecord<>(later.get(i).window()));
            }
            for (int i = 15; i < 20; i++) {
                h.processElement(new StreamRecord<>(GeneratedWindowsSlow.of(later.get(i).window(), 5)));
            }
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).kind()).isEqualTo(AnomalyKind.MODEL_OUTLIER);
            assertThat(h.extractOutputValues().get(0).detail()).contains("traffic-anomaly/edge-1/v2");
        }
    }

    private static List<ModelReport> tickUntilModel(
            KeyedBroadcastOperatorTestHarness<String, WindowStats, ControlCommand, Anomaly> h, long[] now) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            now[0] += TICK;
            h.setProcessingTime(now[0]);
            var side = h.getSideOutput(TrafficAnomalyFunction.MODELS);
            return side != null && !side.isEmpty();
        });
        return h.getSideOutput(TrafficAnomalyFunction.MODELS).stream().map(StreamRecord::getValue).toList();
    }
}
