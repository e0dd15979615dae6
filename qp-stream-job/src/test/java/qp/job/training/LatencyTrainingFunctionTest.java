package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.Recommendation;
import qp.protocol.control.ControlCommand;
import qp.protocol.events.NodeMetrics;
import qp.protocol.params.TunableParams;

/**
 * The trainer in an operator harness: training happens on its background thread and is picked up by processing-time
 * ticks, which the test drives; it waits on the condition (a report), never on a fixed sleep.
 */
class LatencyTrainingFunctionTest {
    private static final long TICK = 100;
    private static final long INTERVAL = 1_000;
    private static final long IDLE = 60_000;
    private static final TrainingSettings SETTINGS = TrainingSettings.defaults()
            .withRetrainIntervalMillis(INTERVAL).withSample(500, 3000).withHorizonMillis(7_200_000).withForest(10, 8)
            .withTiming(TICK, IDLE); // one generated row a second: 1,500 rows span 25 min, all inside a 2 h horizon
    /** A 10 min horizon of 30 s buckets, 1,500 rows: 75 a bucket. */
    private static final TrainingSettings TEN_MINUTES = SETTINGS.withSample(500, 1500).withHorizonMillis(600_000);

    private KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> h;
    private long now;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> harness(
            OperatorSubtaskState restore) throws Exception {
        return harness(restore, SETTINGS);
    }

    private static KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> harness(
            OperatorSubtaskState restore, TrainingSettings settings) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, NodeInput, ControlCommand, ModelReport> h =
                new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                        new LatencyTrainingFunction(settings), List.of(LatencyTrainingFunction.CONTROL)),
                        NodeInput::nodeId, Types.STRING, 1, 1, 0);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** Each row as the node's sample of that second followed by the frame, so the join sees the row's load. */
    private void feed(String node, List<TrainingRow> rows) throws Exception {
        for (TrainingRow r : rows) {
            NodeMetrics m = new NodeMetrics(node, r.eventTimeMillis(), r.throughput(), r.throughput(), 0, 0, r.cpu(),
                    r.memory(), 1L << 30, r.connections(), 0, 0, 3, TunableParams.defaults());
            h.processElement(new StreamRecord<>(NodeInput.of(m)));
            h.processElement(new StreamRecord<>(new NodeInput(node, new NodeInput.FrameSample(r.messageType(),
                    (int) r.payloadSize(), (int) r.wireBytes(), r.compressed(), r.latencyMicros(), r.eventTimeMillis()),
                    null)));
        }
    }

    /** Advances processing time tick by tick until a report arrives. */
    private ModelReport nextReport(Predicate<ModelReport> which) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            now += TICK;
            h.setProcessingTime(now);
            return h.extractOutputValues().stream().anyMatch(which);
        });
        return h.extractOutputValues().stream().filter(which).findFirst().orElseThrow();
    }

    private List<Recommendation> recommendations() {
        return h.getSideOutput(LatencyTrainingFunction.RECOMMENDATIONS) == null ? List.of()
                : h.getSideOutput(LatencyTrainingFunction.RECOMMENDATIONS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void publishesAModelAboveTheGateWithItsRecommendations() throws Exception {
        h = harness(null);
        feed("edge-1", GeneratedRows.payloadAndConnections(1500, 21));

        ModelReport r = nextReport(m -> true);

        assertThat(r.name()).isEqualTo(ModelReport.LATENCY);
        assertThat(r.version()).isEqualTo("latency/edge-1/v1");
        assertThat(r.published()).as(r.detail()).isTrue();
        assertThat(r.r2()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.rows()).isEqualTo(1500);
        // one frame a second over 1,499 s: the gap between training and the held-out last seconds is 5% of it, 75 s
        assertThat(r.trainRows() + r.testRows()).isEqualTo(1500 - 75);
        assertThat(r.featureImportance()).containsOnlyKeys(LatencyFeatures.ALL);
        assertThat(r.modelBase64()).isNotBlank();
        assertThat(new TribuoForestTrainer(10, 8, 1).load(java.util.Base64.getDecoder().decode(r.modelBase64()))
                .predictMicros(GeneratedRows.payloadAndConnections(1, 1).get(0))).isPositive();
        // open connections drive the generated latency, but the limit never varied: no model proposal for it
        assertThat(recommendations()).extracting(Recommendation::parameter).doesNotContain("max_connections");
        assertThat(recommendations()).allSatisfy(rec -> {
            assertThat(rec.modelVersion()).isEqualTo("latency/edge-1/v1");
            assertThat(rec.paramVersion()).isEqualTo(3);
        });
    }

    /**
     * The compression proposal measures the frames the node sent, not the ones it received. Each second edge-1 sends
     * one reply of 8,000 B, compressed to 1,600 B under its threshold of 4,096 B, and two of 2,000 B sent plain; the
     * frames it receives are never compressed. By hand: the smallest threshold leaving 20% of the sent bytes below it
     * is the 2,000 B replies (rounded down to 1,792 B); compressing them at the measured 0.2 sends 1,600 + 2 × 400 B
     * a second instead of 1,600 + 2 × 2,000 B: 1 - 2,400 / 5,600 = 57% fewer bytes. That needs no latency model: it is
     * proposed when the node's latency model is rejected too.
     */
    @Test
    void theFramesTheNodeSentAreWhatTheCompressionProposalMeasures() throws Exception {
        h = harness(null);
        TunableParams at4k = TunableParams.defaults().with(java.util.Map.of(
                qp.protocol.params.TunableParameter.COMPRESSION_THRESHOLD, 4096L));
        // latency that is pure noise: the latency model is rejected, and the saving, which needs no model, is still
        // proposed (the demo's edge-1 had no published model when its bytes could be saved)
        Random noise = new Random(23);
        List<TrainingRow> received = GeneratedRows.generate(1500, 23, GeneratedRows.RowShape.DEFAULT,
                row -> 5000 + 3000 * noise.nextGaussian());
        for (TrainingRow r : received) {
            long t = r.eventTimeMillis();
            h.processElement(new StreamRecord<>(NodeInput.of(new NodeMetrics("edge-1", t, r.throughput(),
                    r.throughput(), 0, 0, r.cpu(), r.memory(), 1L << 30, r.connections(), 0, 0, 3, at4k))));
            h.processElement(new StreamRecord<>(new NodeInput("edge-1", new NodeInput.FrameSample(r.messageType(),
                    (int) r.payloadSize(), (int) r.wireBytes(), false, r.latencyMicros(), t), null)));
            h.processElement(new StreamRecord<>(sent(8_000, 1_600, true, t + 1)));
            h.processElement(new StreamRecord<>(sent(2_000, 2_000, false, t + 2)));
            h.processElement(new StreamRecord<>(sent(2_000, 2_000, false, t + 3)));
        }

        ModelReport report = nextReport(m -> true);

        assertThat(report.rows()).as("the latency model's rows are the received frames").isEqualTo(1500);
        assertThat(report.published()).as(report.detail()).isFalse();
        Recommendation c = recommendations().stream().filter(r -> r.parameter().equals("compression_threshold"))
                .findFirst().orElseThrow(() -> new AssertionError("no compression proposal: " + recommendations()));
        assertThat(c.currentValue()).isEqualTo(4096);
        assertThat(c.proposedValue()).isEqualTo(1792);
        // the sample keeps 3,000 of the 4,500 sent frames at random: their mix, and so the saving, varies a little
        assertThat(c.expectedImprovement()).isCloseTo(1 - 2_400.0 / 5_600, org.assertj.core.data.Offset.offset(0.02));
        assertThat(c.confidence()).isEqualTo(1.0);
        assertThat(c.targetMetric()).isEqualTo("bytes");
    }

    private static NodeInput sent(int raw, int wire, boolean compressed, long t) {
        return new NodeInput("edge-1", new NodeInput.FrameSample("RESULT", raw, wire, compressed, 0, t, null, null, true),
                null);
    }

    @Test
    void aModelBelowTheGateIsNotPublished() throws Exception {
        h = harness(null);
        Random noise = new Random(5);
        feed("edge-1", GeneratedRows.generate(1000, 22, GeneratedRows.RowShape.DEFAULT, row -> 5000 + 3000 * noise.nextGaussian()));

        ModelReport r = nextReport(m -> true);

        assertThat(r.published()).isFalse();
        assertThat(r.r2()).isLessThan(0.7);
        assertThat(r.detail()).contains("rejected").contains("gate 0.70").contains("no model is published yet");
        assertThat(r.modelBase64()).isNull();
        assertThat(recommendations()).isEmpty();
    }

    @Test
    void aRestartedTrainerKeepsItsSampleAndModelAndARetrainCommandTrainsNow() throws Exception {
        h = harness(null);
        feed("edge-1", GeneratedRows.payloadAndConnections(1500, 23));
        assertThat(nextReport(m -> true).published()).isTrue();
        OperatorSubtaskState snapshot = h.snapshot(1, now);
        h.close();

        h = harness(snapshot);
        h.setProcessingTime(now);
        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        ModelReport again = nextReport(m -> true);

        assertThat(again.version()).isEqualTo("latency/edge-1/v2"); // the version count survived
        assertThat(again.rows()).isEqualTo(1500);                   // so did the sample: no row was fed since
        assertThat(again.published()).isTrue();
    }

    /** "the sample spans N s of event time" of a report's detail. */
    private static long spanSeconds(ModelReport r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("the sample spans (\\d+) s").matcher(r.detail());
        assertThat(m.find()).as(r.detail()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aFastNodesSampleSpansTheHorizonStaysBoundedAndSurvivesARestart() throws Exception {
        h = harness(null, TEN_MINUTES);
        // 15 min at 10 frames/s: the 1,500 most recent frames would be its last 150 s
        feed("edge-1", GeneratedRows.timed(GeneratedRows.payloadAndConnections(9000, 26), 0, 100));
        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        ModelReport first = nextReport(m -> m.version().endsWith("/v1"));

        assertThat(first.rows()).isEqualTo(1500);
        assertThat(spanSeconds(first)).isBetween(570L, 600L);

        OperatorSubtaskState snapshot = h.snapshot(1, now);
        h.close();
        h = harness(snapshot, TEN_MINUTES);
        h.setProcessingTime(now);
        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        ModelReport restored = nextReport(m -> m.version().endsWith("/v2"));

        assertThat(restored.rows()).isEqualTo(1500);                      // the sample came back whole
        assertThat(spanSeconds(restored)).isEqualTo(spanSeconds(first));

        // 5 more minutes at 10 frames/s: the oldest 5 min leave, the bound holds
        feed("edge-1", GeneratedRows.timed(GeneratedRows.payloadAndConnections(3000, 27), 900_000, 100));
        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        ModelReport later = nextReport(m -> m.version().endsWith("/v3"));

        assertThat(later.rows()).isEqualTo(1500);
        assertThat(spanSeconds(later)).isBetween(570L, 600L);
    }

    @Test
    void aRetrainCommandForAnotherNodeOrAnUnknownCommandDoesNothing() throws Exception {
        h = harness(null);
        feed("edge-1", GeneratedRows.payloadAndConnections(100, 24)); // below min-train-samples: nothing scheduled
        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-9", "test", 0)));
        h.processBroadcastElement(new StreamRecord<>(new ControlCommand("explode", null, "test", 0)));
        for (int i = 0; i < 30; i++) {
            now += TICK;
            h.setProcessingTime(now);
        }
        assertThat(h.extractOutputValues()).isEmpty();

        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain(null, "test", 0))); // every node
        assertThat(nextReport(m -> true).version()).isEqualTo("latency/edge-1/v1");
    }

    @Test
    void stateAndTimersAreGoneWhenANodeFallsSilent() throws Exception {
        h = harness(null);
        feed("edge-1", GeneratedRows.payloadAndConnections(50, 25));
        assertThat(backend().numKeyValueStateEntries()).isPositive();

        now += IDLE + TICK;
        h.setProcessingTime(now);
        now += TICK;
        h.setProcessingTime(now);

        assertThat(backend().numKeyValueStateEntries()).isZero();
        assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
    }

    private HeapKeyedStateBackend<?> backend() {
        return (HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
    }
}
