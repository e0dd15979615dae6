package qp.job.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/** The real experiment-stats window operator in a harness: every cell against the frames, restore, clean-up. */
class ExperimentStatsStageTest {
    static final long T0 = 1_700_000_000_000L;
    static final long WINDOW = 10_000;
    static final AnalyticsSettings.Windows TEN_SECONDS = AnalyticsSettings.Windows.defaults();
    static final List<ExperimentTraffic.Run> RUNS = List.of(new ExperimentTraffic.Run("edge-1", "exp-a"),
            new ExperimentTraffic.Run("edge-2", "exp-b"), new ExperimentTraffic.Run("edge-3", "exp-a"));

    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, ExperimentFrame, ExperimentStats> harness(
            AnalyticsSettings.Windows w) throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        FrameEvent sample = new FrameEvent("n", "c", 0, "s", "DATA", null, Direction.IN, 1, 1, false, 0, "ok", 1, 1,
                "e", "control", 0);
        return Harnesses.of(ExperimentStatsStage.stats(Harnesses.placeholderSource(env, sample, FrameEvent.class), w));
    }

    /** The frames of the experiments only: the harness holds the window, the filter before it is not in it. */
    static List<FrameEvent> experimentFrames(long seed, int windows) {
        return ExperimentTraffic.frames(seed, T0, WINDOW, windows, RUNS, List.of(), 400).stream()
                .filter(f -> f.experimentId() != null).toList();
    }

    /** The frames as the job hands them to the window: cut to their fields, timestamped with their event time. */
    static void add(KeyedOneInputStreamOperatorTestHarness<?, ExperimentFrame, ?> h, List<FrameEvent> frames)
            throws Exception {
        for (FrameEvent f : frames) {
            h.processElement(ExperimentFrame.of(f), f.eventTimeMillis());
        }
    }

    @Test
    void everyCellLatencyAndSessionCountMatchesTheFramesAndTheWindowsLeaveNothingBehind() throws Exception {
        List<FrameEvent> frames = experimentFrames(7, 4);
        try (var h = harness(TEN_SECONDS)) {
            h.open();
            add(h, frames);
            assertThat(h.extractOutputValues()).as("nothing before the watermark passes a window").isEmpty();
            h.processWatermark(T0 + 4 * WINDOW);

            List<ExperimentStats> out = h.extractOutputValues();
            ExperimentOracle.assertMatches(out, ExperimentOracle.windows(frames, WINDOW), WINDOW);
            assertThat(out).extracting(s -> s.nodeId() + "/" + s.experimentId()).containsOnly("edge-1/exp-a",
                    "edge-2/exp-b", "edge-3/exp-a");
            ExperimentStats one = out.get(0);
            assertThat(one.units()).extracting(ExperimentStats.Units::arm).contains("control", "treatment");
            assertThat(one.cells()).extracting(ExperimentStats.Cell::band).contains("small", "medium", "large");
            assertThat(one.cells().stream().mapToLong(ExperimentStats.Cell::refusals).sum()).isPositive();
            assertThat(h.numKeyedStateEntries()).as("window state is dropped once the windows fired").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void p99OfABusyStratumIsWithinTheSketchErrorOfTheExactP99() throws Exception {
        java.util.Random rnd = new java.util.Random(9);
        List<FrameEvent> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // one arm and stratum over all eight buckets, a long tail
            long latency = 1 + (long) (500 * Math.exp(1.5 * rnd.nextGaussian()));
            frames.add(new FrameEvent("edge-1", "c" + i % 40, i, "s" + i % 40, "COMMAND", "echo", Direction.IN, 206, 200,
                    false, latency, "ok", 1, T0 + rnd.nextInt((int) WINDOW), "exp-a", "treatment", i % 8));
        }
        try (var h = harness(TEN_SECONDS)) {
            h.open();
            add(h, frames);
            h.processWatermark(T0 + WINDOW);
            ExperimentStats.Latency l = h.extractOutputValues().get(0).latency().get(0);
            List<Long> sorted = frames.stream().map(FrameEvent::latencyMicros).sorted().toList();
            long exactP99 = sorted.get((int) Math.floor(0.99 * (sorted.size() - 1)));
            assertThat(l.samples()).isEqualTo(5_000);
            assertThat(l.p99Micros()).as("exact p99 " + exactP99 + " µs").isCloseTo(exactP99,
                    org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(h.extractOutputValues().get(0).units()).hasSize(8);
        }
    }

    @Test
    void anOpenWindowSurvivesASnapshotAndRestoreThroughTheAccumulatorSerializer() throws Exception {
        List<FrameEvent> frames = experimentFrames(8, 2);
        int half = frames.size() / 2;
        OperatorSubtaskState snapshot;
        try (var h = harness(TEN_SECONDS)) {
            h.open();
            add(h, frames.subList(0, half));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(TEN_SECONDS)) {
            h.initializeState(snapshot);
            h.open();
            add(h, frames.subList(half, frames.size()));
            h.processWatermark(T0 + 2 * WINDOW);
            ExperimentOracle.assertMatches(h.extractOutputValues(), ExperimentOracle.windows(frames, WINDOW), WINDOW);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void allowedLatenessFiresTheWindowAgainWithTheLateFrameAndCleansUpAfterwards() throws Exception {
        FrameEvent first = new FrameEvent("edge-1", "c1", 0, "s1", "DATA", null, Direction.IN, 106, 100, false, 300,
                "ok", 1, T0 + 1_000, "exp-a", "treatment", 2);
        FrameEvent late = new FrameEvent("edge-1", "c2", 0, "s2", "DATA", null, Direction.IN, 106, 100, false, 500,
                "OVERLOADED", 1, T0 + 2_000, "exp-a", "treatment", 2);
        try (var h = harness(TEN_SECONDS.withAllowedLatenessMillis(5_000))) {
            h.open();
            add(h, List.of(first));
            h.processWatermark(T0 + WINDOW);
            add(h, List.of(late));
            List<ExperimentStats> out = h.extractOutputValues();
            assertThat(out).as("fired at the watermark, then again with the late frame").hasSize(2);
            assertThat(out.get(1).cells()).containsExactly(new ExperimentStats.Cell("treatment", 2, "DATA", "IN",
                    "small", 2, 212, 200, 1, 1, 2, 800));
            assertThat(out.get(1).units()).containsExactly(new ExperimentStats.Units("treatment", 2, 2));
            assertThat(h.numKeyedStateEntries()).as("kept for the allowed lateness").isPositive();
            h.processWatermark(T0 + WINDOW + 5_000);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
