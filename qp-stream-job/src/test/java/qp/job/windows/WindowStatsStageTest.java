package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static qp.job.analytics.TestFrames.frame;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.SketchCodec;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.FrameEvent;

/** The real window operators of {@link WindowStatsStage} in a harness: results, late frames, state clean-up. */
class WindowStatsStageTest {
    private static final AnalyticsSettings.Windows TEN_SECONDS = AnalyticsSettings.Windows.defaults();

    private static DataStream<FrameEvent> source(StreamExecutionEnvironment env) {
        return Harnesses.placeholderSource(env, frame("n", "DATA", 0, 0), FrameEvent.class);
    }

    private static <K> KeyedOneInputStreamOperatorTestHarness<K, FrameEvent, WindowStats> byType(
            AnalyticsSettings.Windows w) throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        return Harnesses.of(WindowStatsStage.byType(source(env), w));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, NodeFrame, WindowStats> byNode() throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        return Harnesses.of(WindowStatsStage.byNode(WindowStatsStage.nodeFrames(source(env)), TEN_SECONDS));
    }

    private static void add(KeyedOneInputStreamOperatorTestHarness<?, FrameEvent, WindowStats> h, FrameEvent f)
            throws Exception {
        h.processElement(f, f.eventTimeMillis());
    }

    /** The frame as the job hands it to the per-node windows: cut to their fields, timestamped with its event time. */
    private static void addByNode(KeyedOneInputStreamOperatorTestHarness<?, NodeFrame, WindowStats> h, FrameEvent f)
            throws Exception {
        h.processElement(NodeFrame.of(f), f.eventTimeMillis());
    }

    @Test
    void perTypeWindowHasCountsPercentilesAndPayloadStatsAndThenNoState() throws Exception {
        try (var h = WindowStatsStageTest.<Object>byType(TEN_SECONDS)) {
            h.open();
            add(h, frame("n1", "COMMAND", 1_000, 100, 10, FrameEvent.OK));
            add(h, frame("n1", "COMMAND", 2_000, 200, 20, "UNKNOWN_OP"));
            add(h, frame("n1", "COMMAND", 3_000, 300, 30, FrameEvent.OK));
            add(h, frame("n1", "STREAM", 4_000, 0, 1000, FrameEvent.OK)); // no reply: no latency sample
            add(h, frame("n1", "COMMAND", 12_000, 50, 5, FrameEvent.OK)); // next window
            assertTrue(h.extractOutputValues().isEmpty(), "nothing before the watermark passes the window");

            h.processWatermark(9_999);
            List<WindowStats> first = sorted(h.extractOutputValues());
            assertEquals(2, first.size());
            WindowStats cmd = first.get(0);
            assertEquals("COMMAND", cmd.type());
            assertEquals(WindowView.TUMBLING, cmd.view());
            assertEquals(0, cmd.windowStartMillis());
            assertEquals(10_000, cmd.windowEndMillis());
            assertEquals(3, cmd.count());
            assertEquals(17 + 27 + 37, cmd.bytes());
            assertEquals(0.3, cmd.throughputPerSec(), 1e-9);
            assertEquals(1, cmd.errorCount());
            assertEquals(1.0 / 3, cmd.errorRate(), 1e-9);
            assertEquals(3, cmd.latencySamples());
            assertEquals(200, cmd.latencyP50Micros(), 2.0);
            // DDSketch's quantile is the value at rank floor(q·(n−1)): p99 of {100, 200, 300} is 200
            assertEquals(200, cmd.latencyP99Micros(), 2.0);
            assertEquals(300, cmd.latencyMaxMicros());
            assertEquals(20, cmd.payloadMeanBytes(), 1e-9);
            assertEquals(Math.sqrt(200.0 / 3), cmd.payloadStddevBytes(), 1e-9);
            assertEquals(30, cmd.payloadMaxBytes());
            assertEquals(Map.of(), cmd.typeMix());
            assertEquals(Map.of("0-63", 3L, "64-255", 0L, "256-1023", 0L, "1024-4095", 0L, "4096-16383", 0L,
                    "16384-65535", 0L, "65536+", 0L), cmd.payloadSizeHistogram());
            assertEquals(1L, first.get(1).payloadSizeHistogram().get("256-1023"), "the 1000 B STREAM frame");
            WindowStats stream = first.get(1);
            assertEquals("STREAM", stream.type());
            assertEquals(0, stream.latencySamples());
            assertEquals(0, stream.latencyP95Micros());

            add(h, frame("n1", "COMMAND", 500, 999, 10, FrameEvent.OK)); // its window has fired: late
            List<StreamRecord<FrameEvent>> late = List.copyOf(h.getSideOutput(WindowStatsStage.LATE_FRAMES));
            assertEquals(1, late.size());
            assertEquals(999, late.get(0).getValue().latencyMicros());

            h.processWatermark(20_000);
            assertEquals(3, h.extractOutputValues().size());
            assertEquals(0, h.numKeyedStateEntries(), "window state is dropped once the windows fired");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void allowedLatenessFiresTheWindowAgainWithTheLateFrameAndCleansUpAfterwards() throws Exception {
        try (var h = WindowStatsStageTest.<Object>byType(TEN_SECONDS.withAllowedLatenessMillis(5_000))) {
            h.open();
            add(h, frame("n1", "COMMAND", 1_000, 100));
            h.processWatermark(10_000);
            add(h, frame("n1", "COMMAND", 2_000, 100));
            List<WindowStats> out = h.extractOutputValues();
            assertEquals(2, out.size(), "fired at the watermark, then again for the late frame");
            assertEquals(1, out.get(0).count());
            assertEquals(2, out.get(1).count());
            assertTrue(h.getSideOutput(WindowStatsStage.LATE_FRAMES) == null
                    || h.getSideOutput(WindowStatsStage.LATE_FRAMES).isEmpty());
            assertTrue(h.numKeyedStateEntries() > 0, "kept for the allowed lateness");
            h.processWatermark(15_000);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void nodeRowCoversAllTypesWithTheTypeMix() throws Exception {
        try (var h = byNode()) {
            h.open();
            addByNode(h, frame("n1", "AUTH", 100, 50));
            addByNode(h, frame("n1", "COMMAND", 200, 150));
            addByNode(h, frame("n1", "COMMAND", 300, 250));
            addByNode(h, frame("n2", "DATA", 400, 10));
            h.processWatermark(10_000);
            List<WindowStats> out = sorted(h.extractOutputValues());
            assertEquals(2, out.size());
            WindowStats n1 = out.get(0);
            assertEquals("n1", n1.nodeId());
            assertEquals(WindowStats.ALL_TYPES, n1.type());
            assertEquals(3, n1.count());
            assertEquals(Map.of("AUTH", 1L, "COMMAND", 2L), n1.typeMix());
            assertEquals(250, n1.latencyMaxMicros());
            assertEquals(Map.of("DATA", 1L), out.get(1).typeMix());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void nodeRowsCarryTheirLatencySketchAndTwoWindowsMergeToTheExactQuantilesOfBoth() throws Exception {
        Random rnd = new Random(20261207L);
        List<Long> all = new ArrayList<>();
        try (var h = byNode()) {
            h.open();
            for (int i = 0; i < 400; i++) { // window [0, 10 s): fast; window [10 s, 20 s): a slow tail
                long fast = 50 + rnd.nextInt(200);
                long slow = 5_000 + rnd.nextInt(50_000);
                addByNode(h, frame("n1", "COMMAND", i * 20L, fast));
                addByNode(h, frame("n1", "COMMAND", 10_000 + i * 20L, i % 4 == 0 ? slow : fast));
                all.add(fast);
                all.add(i % 4 == 0 ? slow : fast);
            }
            addByNode(h, frame("n1", "STREAM", 500, 0)); // no reply: not in the sketch
            h.processWatermark(20_000);
            List<WindowStats> out = sorted(h.extractOutputValues());
            assertEquals(2, out.size());
            DDSketch merged = null;
            for (WindowStats w : out) {
                assertNotNull(w.latencySketch(), "window " + w.windowStartMillis() + " carries its sketch");
                DDSketch s = SketchCodec.decode(SketchCodec.fromBase64(w.latencySketch()));
                assertEquals(w.latencySamples(), Math.round(s.getCount()));
                assertEquals(w.latencyP99Micros(), SketchCodec.quantile(s, 0.99), 0.0, "the row's p99 is its sketch's");
                if (merged == null) {
                    merged = s;
                } else {
                    merged.mergeWith(s);
                }
            }
            assertEquals(800, Math.round(merged.getCount()));
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            double alpha = TEN_SECONDS.sketchRelativeAccuracy();
            for (double q : new double[] {0.50, 0.95, 0.99}) {
                double exact = sorted[(int) Math.floor(q * (sorted.length - 1))]; // DDSketch's rank
                assertEquals(exact, SketchCodec.quantile(merged, q), alpha * exact, "merged q=" + q);
            }
        }
    }

    @Test
    void anOpenWindowSurvivesASnapshotAndRestoreThroughTheSketchSerializer() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = byNode()) {
            h.open();
            for (int i = 1; i <= 100; i++) {
                addByNode(h, frame("n1", i % 2 == 0 ? "DATA" : "ACK", i * 10, i * 10L, i, FrameEvent.OK));
            }
            snapshot = h.snapshot(1, 1);
        }
        try (var h = byNode()) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 101; i <= 200; i++) {
                addByNode(h, frame("n1", "DATA", i * 10, i * 10L, i, FrameEvent.OK));
            }
            h.processWatermark(10_000);
            WindowStats w = h.extractOutputValues().get(0);
            assertEquals(200, w.count());
            assertEquals(200, w.latencySamples());
            assertEquals(1980, w.latencyP99Micros(), 1980 * 0.01); // exact: index floor(0.99·199) = 197 of 10..2000
            assertEquals(100.5, w.payloadMeanBytes(), 1e-9);
            assertEquals(Map.of("ACK", 50L, "DATA", 150L), w.typeMix());
            assertEquals(63L, w.payloadSizeHistogram().get("0-63"), "payloads 1..200 B: 1..63");
            assertEquals(137L, w.payloadSizeHistogram().get("64-255"));
        }
    }

    @Test
    void slidingViewGivesOverlappingNodeRows() throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        KeyedOneInputStreamOperatorTestHarness<String, NodeFrame, WindowStats> h = Harnesses.of(
                WindowStatsStage.slidingByNode(WindowStatsStage.nodeFrames(source(env)),
                        TEN_SECONDS.withSliding(30_000, 10_000)));
        try (h) {
            h.open();
            addByNode(h, frame("n1", "DATA", 5_000, 10));
            addByNode(h, frame("n1", "DATA", 15_000, 20));
            h.processWatermark(40_000);
            List<WindowStats> out = sorted(h.extractOutputValues());
            // windows ending at 10, 20, 30, 40 s contain the frames at 5 s and/or 15 s
            assertEquals(List.of(1L, 2L, 2L, 1L), out.stream().map(WindowStats::count).toList());
            assertTrue(out.stream().allMatch(w -> w.view() == WindowView.SLIDING && w.windowLengthMillis() == 30_000));
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    private static List<WindowStats> sorted(List<WindowStats> out) {
        return out.stream().sorted(Comparator.comparing(WindowStats::windowEndMillis)
                .thenComparing(WindowStats::nodeId).thenComparing(WindowStats::type)).toList();
    }
}
