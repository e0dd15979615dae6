package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static qp.job.analytics.TestFrames.frame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/**
 * The per-type windows fired by {@link FireAtCleanupTime} give what the same windows give with Flink's own
 * {@code EventTimeTrigger} (the oracle): the same rows, the same late frames and the same partials, at the same
 * watermarks; and a checkpoint of a window with {@code EventTimeTrigger} restores into it and fires.
 */
class FireAtCleanupTimeTest {
    private static final AnalyticsSettings.Windows TEN_SECONDS = AnalyticsSettings.Windows.defaults();

    private static DataStream<FrameEvent> source(StreamExecutionEnvironment env) {
        return Harnesses.placeholderSource(env, frame("n", "DATA", 0, 0), FrameEvent.class);
    }

    /** As the job builds it (no allowed lateness: {@link FireAtCleanupTime}). */
    private static KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> asBuilt() throws Exception {
        return Harnesses.of(WindowStatsStage.byType(source(Harnesses.environment()), TEN_SECONDS));
    }

    /** The same operator with Flink's EventTimeTrigger, as the builds before this one ran it. */
    private static KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> withEventTimeTrigger()
            throws Exception {
        SingleOutputStreamOperator<WindowStats> s = source(Harnesses.environment())
                .keyBy(WindowStatsStage.NODE_AND_TYPE, WindowStatsStage.NODE_TYPE)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(TEN_SECONDS.sizeMillis())))
                .trigger(EventTimeTrigger.create())
                .allowedLateness(Duration.ZERO)
                .sideOutputLateData(WindowStatsStage.LATE_FRAMES)
                .aggregate(new FrameStatsAggregate(TEN_SECONDS.sketchRelativeAccuracy(), false),
                        new WindowStatsFunctions.ByType(true), StatsAccumulatorTypeInfoFactory.INFO,
                        StatsAccumulatorTypeInfoFactory.INFO, TypeInformation.of(WindowStats.class))
                .uid("window-stats-by-type");
        return Harnesses.of(s);
    }

    /** Frames of 3 nodes x 3 types over 60 s, arriving up to 3 s out of order; a watermark every 40 frames. */
    private static List<Object> traffic(long seed) {
        Random r = new Random(seed);
        List<Object> steps = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < 4_000; i++) {
            long t = i * 15L + r.nextInt(3_000); // 15 ms apart, up to 3 s late
            maxSeen = Math.max(maxSeen, t);
            steps.add(frame("n" + r.nextInt(3), List.of("DATA", "COMMAND", "PING").get(r.nextInt(3)), t,
                    1 + r.nextInt(5_000)));
            if (i % 40 == 39) {
                steps.add(maxSeen - 2_000); // a watermark 2 s behind: some frames come after it, late
            }
        }
        steps.add(Long.MAX_VALUE);
        return steps;
    }

    private record Run(List<WindowStats> rows, List<FrameEvent> late, List<String> partials) {
    }

    private static Run run(KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> h,
            List<Object> steps) throws Exception {
        h.open();
        for (Object step : steps) {
            if (step instanceof FrameEvent f) {
                h.processElement(f, f.eventTimeMillis());
            } else {
                h.processWatermark((Long) step);
            }
        }
        return results(h);
    }

    private static Run results(KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> h) {
        List<FrameEvent> late = new ArrayList<>();
        h.getSideOutput(WindowStatsStage.LATE_FRAMES).forEach(r -> late.add(r.getValue()));
        List<String> partials = new ArrayList<>();
        h.getSideOutput(WindowStatsStage.TYPE_PARTIALS).forEach(r -> partials.add(r.getValue().nodeId() + "/"
                + r.getValue().type() + "@" + r.getTimestamp() + " n=" + r.getValue().stats().count()));
        return new Run(h.extractOutputValues(), late, partials);
    }

    @Test
    void firesTheSameRowsLateFramesAndPartialsAsTheEventTimeTrigger() throws Exception {
        List<Object> steps = traffic(7);
        Run expected;
        try (var h = withEventTimeTrigger()) {
            expected = run(h, steps);
        }
        Run actual;
        try (var h = asBuilt()) {
            actual = run(h, steps);
            assertEquals(0, h.numEventTimeTimers(), "every window fired and was cleared");
        }
        assertFalse(expected.rows().isEmpty());
        assertFalse(expected.late().isEmpty(), "the traffic has late frames");
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.late(), actual.late());
        assertEquals(expected.partials(), actual.partials());
    }

    @Test
    void aCheckpointOfTheWindowsWithTheEventTimeTriggerRestoresAndFires() throws Exception {
        List<Object> steps = traffic(11);
        int half = steps.size() / 2;
        Run expected;
        try (var h = withEventTimeTrigger()) {
            expected = run(h, steps);
        }
        OperatorSubtaskState snapshot;
        List<WindowStats> rowsBefore;
        try (var h = withEventTimeTrigger()) {
            run(h, steps.subList(0, half));
            rowsBefore = h.extractOutputValues();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = asBuilt()) {
            h.initializeState(snapshot);
            Run after = run(h, steps.subList(half, steps.size()));
            List<WindowStats> all = new ArrayList<>(rowsBefore);
            all.addAll(after.rows());
            assertEquals(expected.rows(), all);
        }
    }
}
