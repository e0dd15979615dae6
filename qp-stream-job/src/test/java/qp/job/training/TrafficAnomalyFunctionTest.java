package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.ModelReport;
import qp.protocol.analytics.WindowStats;
import qp.protocol.control.ControlCommand;

/**
 * The traffic anomaly trainer in an operator harness: retraining needs new windows, a retrain command trains it
 * before its interval, outliers are raised once per incident, and flagged windows stay out of the next training. Training runs on its background thread; the test
 * drives processing-time ticks and waits on the condition, never on a fixed sleep.
 */
class TrafficAnomalyFunctionTest {
    private static final long TICK = 100;
    private static final long IDLE = 3_600_000;

    private KeyedBroadcastOperatorTestHarness<String, WindowStats, ControlCommand, Anomaly> h;
    private long now;
    private int windowIndex;
    private final List<GeneratedWindows.Labelled> normal = GeneratedWindows.scenario("edge-1", 200, 0.0, 5);

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private void open(long intervalMillis) throws Exception {
        TrainingSettings settings = TrainingSettings.defaults().withRetrainIntervalMillis(intervalMillis)
                .withTiming(TICK, IDLE);
        h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new TrafficAnomalyFunction(settings), List.of(LatencyTrainingFunction.CONTROL)),
                WindowStats::nodeId, Types.STRING, 1, 1, 0);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.open();
    }

    private void window(WindowStats w) throws Exception {
        h.processElement(new StreamRecord<>(w));
    }

    private void normalWindows(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            window(normal.get(windowIndex++ % normal.size()).window());
        }
    }

    /** A window five times slower than any normal one. */
    private WindowStats slow() {
        WindowStats w = normal.get(windowIndex++ % normal.size()).window();
        return new WindowStats(w.nodeId(), w.type(), w.view(), w.windowStartMillis(), w.windowEndMillis(), w.count(),
                w.bytes(), w.throughputPerSec(), w.bytesPerSec(), w.errorCount(), w.errorRate(), w.latencySamples(),
                w.latencyP50Micros() * 5, w.latencyP95Micros() * 5, w.latencyP99Micros() * 5, w.latencyMaxMicros() * 5,
                w.payloadMeanBytes(), w.payloadStddevBytes(), w.payloadP95Bytes(), w.payloadMaxBytes(), w.typeMix(),
                w.payloadSizeHistogram(), null);
    }

    private List<ModelReport> models() {
        var side = h.getSideOutput(TrafficAnomalyFunction.MODELS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private List<Anomaly> outliers() {
        return h.extractOutputValues().stream().filter(a -> a.kind() == AnomalyKind.MODEL_OUTLIER).toList();
    }

    private void tick() throws Exception {
        now += TICK;
        h.setProcessingTime(now);
    }

    private void tickUntilModels(int count) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            tick();
            return models().size() >= count;
        });
    }

    @Test
    void aDueRetrainingWithoutNewWindowsIsSkippedAndTheNextOneCountsOn() throws Exception {
        open(1_000);
        normalWindows(40);
        tickUntilModels(1);
        assertThat(models().get(0).version()).isEqualTo("traffic-anomaly/edge-1/v1");

        for (int i = 0; i < 60; i++) { // six retrain intervals without a window
            tick();
        }
        normalWindows(1);
        tickUntilModels(2);

        // the skipped intervals trained nothing: the next model is v2, not v7
        assertThat(models()).extracting(ModelReport::version)
                .containsExactly("traffic-anomaly/edge-1/v1", "traffic-anomaly/edge-1/v2");
    }

    @Test
    void aRetrainCommandTrainsTheAnomalyModelBeforeItsInterval() throws Exception {
        open(3_600_000);
        normalWindows(40);
        tickUntilModels(1);
        normalWindows(2);

        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        tickUntilModels(2);

        assertThat(models().get(1).version()).isEqualTo("traffic-anomaly/edge-1/v2");
        assertThat(models().get(1).rows()).isEqualTo(42);
    }

    @Test
    void outliersAreRaisedOncePerIncidentAndNotForALoneWindow() throws Exception {
        open(3_600_000);
        normalWindows(60);
        tickUntilModels(1);
        normalWindows(10);
        int before = outliers().size(); // the model's own false alarms on normal windows (expected: none)

        window(slow());
        normalWindows(3);
        assertThat(outliers()).as("one slow window is no incident").hasSize(before);

        for (int i = 0; i < 5; i++) {
            window(slow());
        }
        assertThat(outliers()).as("five slow windows in a row: one incident").hasSize(before + 1);
        Anomaly a = outliers().get(outliers().size() - 1);
        assertThat(a.detail()).contains("traffic-anomaly/edge-1/v1").contains("latency_p");

        normalWindows(4);
        window(slow());
        window(slow());
        assertThat(outliers()).as("after calm windows, a new incident").hasSize(before + 2);
        assertThat(before).as("false alarms on normal windows").isZero();

        h.processBroadcastElement(new StreamRecord<>(ControlCommand.retrain("edge-1", "test", now)));
        tickUntilModels(2);
        // 85 windows: the 8 slow ones are out, and a normal one may be a false alarm (1 in 360 is the budget; 1 here)
        assertThat(models().get(1).rows()).as("the next model is trained without the 8 slow windows it flagged")
                .isBetween(60L + 10 + 3 + 4 - 2, 60L + 10 + 3 + 4);
    }
}
