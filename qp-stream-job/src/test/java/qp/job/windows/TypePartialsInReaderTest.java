package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static qp.job.analytics.TestFrames.frame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/**
 * The per-type windows folded in the frames' reader ({@link TypePartialsInReader}), with the windows behind the
 * exchange in harnesses chained by hand: the node rows equal an oracle over the frames; partials leave before the
 * watermark that closes their window, at a checkpoint barrier and before the stream goes idle, and nothing is kept in
 * state; late frames go out whole; the frames passed on to the single-frame check include every block's slowest.
 */
class TypePartialsInReaderTest {
    private static final AnalyticsSettings.Windows TEN_SECONDS = AnalyticsSettings.Windows.defaults();
    private static final AnalyticsSettings.Detectors DETECTORS = AnalyticsSettings.Detectors.defaults();
    private static final long WINDOW = TEN_SECONDS.sizeMillis();

    static OneInputStreamOperatorTestHarness<FrameEvent, NodeTypeInput> reader(AnalyticsSettings.Windows w)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new TypePartialsInReader(w, DETECTORS));
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.setup(NodeTypeInputSerializer.INSTANCE);
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, TypeWindowPartial, WindowStats>
            typeWindows() throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        var source = env.fromData(List.of(new TypeWindowPartial("n", "DATA",
                new StatsAccumulator(TEN_SECONDS.sketchRelativeAccuracy(), false))), TypeWindowPartialSerializer.TYPE);
        return Harnesses.of(WindowStatsStage.byTypeFromPartials(
                source.keyBy(p -> Tuple2.of(p.nodeId(), p.type()), WindowStatsStage.NODE_TYPE), TEN_SECONDS));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TypeWindowPartial, WindowStats> nodeWindows()
            throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        var source = env.fromData(List.of(new TypeWindowPartial("n", "DATA",
                new StatsAccumulator(TEN_SECONDS.sketchRelativeAccuracy(), false))), TypeWindowPartialSerializer.TYPE);
        return Harnesses.of(WindowStatsStage.byNodeFromTypes(source, TEN_SECONDS));
    }

    /** The frames in the order they arrive: each up to {@code jitterMillis} after its event time. */
    static List<FrameEvent> arrival(List<FrameEvent> frames, Random rnd, int jitterMillis) {
        record Arrival(double at, FrameEvent f) {
        }
        return frames.stream().map(f -> new Arrival(f.eventTimeMillis() + rnd.nextDouble() * jitterMillis, f))
                .sorted(Comparator.comparingDouble(Arrival::at)).map(Arrival::f).toList();
    }

    /** Feeds the frames with a watermark 300 ms behind the newest one every 40 frames; the reader's whole output. */
    static List<Object> run(OneInputStreamOperatorTestHarness<FrameEvent, NodeTypeInput> h, List<FrameEvent> frames,
            long finalWatermark) throws Exception {
        long newest = Long.MIN_VALUE;
        int i = 0;
        for (FrameEvent f : frames) {
            h.processElement(f, f.eventTimeMillis());
            newest = Math.max(newest, f.eventTimeMillis());
            if (++i % 40 == 0) {
                h.processWatermark(newest - 300);
            }
        }
        h.processWatermark(finalWatermark);
        return new ArrayList<>(h.getOutput());
    }

    @SuppressWarnings("unchecked")
    static List<StreamRecord<NodeTypeInput>> records(List<Object> output) {
        List<StreamRecord<NodeTypeInput>> out = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r) {
                out.add((StreamRecord<NodeTypeInput>) r);
            }
        }
        return out;
    }

    static List<StreamRecord<TypeWindowPartial>> partials(List<Object> output) {
        return records(output).stream().filter(r -> r.getValue().partial() != null)
                .map(r -> new StreamRecord<>(r.getValue().partial(), r.getTimestamp())).toList();
    }

    /** The per-type windows, then the node windows, fed with the partials: the node rows and per-type counts. */
    static List<WindowStats> rows(List<StreamRecord<TypeWindowPartial>> partials, long watermark) throws Exception {
        List<WindowStats> out = new ArrayList<>();
        List<StreamRecord<TypeWindowPartial>> typePartials = new ArrayList<>();
        try (var h = typeWindows()) {
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials) {
                h.processElement(p);
            }
            h.processWatermark(watermark);
            out.addAll(h.extractOutputValues());
            typePartials.addAll(h.getSideOutput(WindowStatsStage.TYPE_PARTIALS));
            assertEquals(0, h.numKeyedStateEntries(), "per-type windows dropped once fired");
        }
        try (var h = nodeWindows()) {
            h.open();
            for (StreamRecord<TypeWindowPartial> p : typePartials) {
                h.processElement(p);
            }
            h.processWatermark(watermark);
            out.addAll(h.extractOutputValues());
        }
        return out;
    }

    static void assertRowsMatch(List<FrameEvent> frames, List<WindowStats> rows) {
        Map<String, List<FrameEvent>> expected = NodeRowOracle.byNodeWindow(frames, WINDOW);
        Map<String, Long> typeCounts = new TreeMap<>();
        Map<String, Long> expectedTypeCounts = new TreeMap<>();
        Map<String, WindowStats> nodeRows = new TreeMap<>();
        for (WindowStats w : rows) {
            if (w.isAllTypes()) {
                assertEquals(null, nodeRows.put(w.nodeId() + "|" + w.windowStartMillis(), w), "one row per window");
            } else {
                assertEquals(null, typeCounts.put(w.nodeId() + "|" + w.type() + "|" + w.windowStartMillis(),
                        w.count()), "one row per type and window");
            }
        }
        for (FrameEvent f : frames) {
            long start = f.eventTimeMillis() - Math.floorMod(f.eventTimeMillis(), WINDOW);
            expectedTypeCounts.merge(f.nodeId() + "|" + f.type() + "|" + start, 1L, Long::sum);
        }
        assertEquals(expectedTypeCounts, typeCounts);
        assertEquals(expected.keySet(), nodeRows.keySet());
        nodeRows.forEach((k, row) -> NodeRowOracle.assertRow(expected.get(k), row,
                TEN_SECONDS.sketchRelativeAccuracy()));
    }

    @Test
    void thePartialsGiveTheFramesRowsAndLeaveBeforeTheWatermarkThatClosesTheirWindow() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(5), 0, WINDOW, 3, 4);
        List<Object> out;
        try (var h = reader(TEN_SECONDS)) {
            out = run(h, arrival(frames, new Random(6), 200), 4 * WINDOW);
            var late = h.getSideOutput(WindowStatsStage.LATE_FRAMES);
            assertTrue(late == null || late.isEmpty(), "nothing late within the watermark's 300 ms");
        }
        long watermark = Long.MIN_VALUE;
        int partials = 0;
        for (Object o : out) {
            if (o instanceof Watermark w) {
                watermark = w.getTimestamp();
            } else if (o instanceof StreamRecord<?> r && ((NodeTypeInput) r.getValue()).partial() != null) {
                partials++;
                assertEquals(WINDOW - 1, Math.floorMod(r.getTimestamp(), WINDOW), "a window's last millisecond");
                assertTrue(r.getTimestamp() > watermark, "a partial leaves before the watermark that closes it");
            }
        }
        // one partial per node, type and window: the watermarks come every 40 frames, the windows close once each
        assertTrue(partials >= NodeRowOracle.byNodeWindow(frames, WINDOW).size(), partials + " partials");
        assertRowsMatch(frames, rows(partials(out), 4 * WINDOW));
    }

    @Test
    void everyBlocksSlowestFrameIsPassedOnAndAFrameIsHeldOnlyBehindASlowerOneOfItsBlock() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(8), 0, WINDOW, 3, 4);
        List<FrameEvent> arrival = arrival(frames, new Random(9), 200);
        List<FrameEvent> passedOn;
        try (var h = reader(TEN_SECONDS)) {
            passedOn = records(run(h, arrival, 4 * WINDOW)).stream()
                    .filter(r -> r.getValue().frame() != null).map(r -> r.getValue().frame()).toList();
        }
        long block = DETECTORS.frameBlockMillis();
        Map<String, Long> slowest = new HashMap<>();
        for (FrameEvent f : frames) {
            slowest.merge(blockKey(f, block), f.latencyMicros(), Math::max);
        }
        Map<String, Long> slowestPassedOn = new HashMap<>();
        passedOn.forEach(f -> slowestPassedOn.merge(blockKey(f, block), f.latencyMicros(), Math::max));
        slowest.values().removeIf(l -> l <= 0); // frames without a reply are never judged
        assertEquals(slowest, slowestPassedOn, "each block's slowest frame reached the check");

        Map<String, Long> slowestSoFar = new HashMap<>();
        int held = 0;
        for (FrameEvent f : arrival) {
            boolean passed = passedOn.contains(f);
            if (f.latencyMicros() > 0 && !passed) {
                held++;
                assertTrue(slowestSoFar.getOrDefault(blockKey(f, block), 0L) >= f.latencyMicros(),
                        "held back without a slower frame of its block before it: " + f);
            }
            assertFalse(f.latencyMicros() <= 0 && passed, "a frame without latency was passed on");
            slowestSoFar.merge(blockKey(f, block), f.latencyMicros(), Math::max);
        }
        assertTrue(held > frames.size() / 2, held + " of " + frames.size() + " held back");
    }

    /**
     * Two partitions read in turns, one 25 s behind the other (a reader catching up): each open block keeps its own
     * slowest frame, so the frames of one partition do not all pass the other's block on.
     */
    @Test
    void partitionsReadInTurnsKeepTheirBlocksApart() throws Exception {
        Random rnd = new Random(21);
        List<FrameEvent> ahead = new ArrayList<>();
        List<FrameEvent> behind = new ArrayList<>();
        for (long t = 30_000; t < 90_000; t += 2) {
            ahead.add(frame("n1", "DATA", t, 100 + rnd.nextInt(5_000)));
            behind.add(frame("n1", "DATA", t - 25_000, 100 + rnd.nextInt(5_000)));
        }
        List<FrameEvent> arrival = new ArrayList<>();
        for (int i = 0; i < ahead.size(); i += 500) {
            arrival.addAll(ahead.subList(i, Math.min(i + 500, ahead.size())));
            arrival.addAll(behind.subList(i, Math.min(i + 500, behind.size())));
        }
        Set<FrameEvent> isAhead = Collections.newSetFromMap(new IdentityHashMap<>());
        isAhead.addAll(ahead);
        int passedOn = 0;
        try (var h = reader(TEN_SECONDS)) {
            long wmAhead = Long.MIN_VALUE;
            long wmBehind = Long.MIN_VALUE;
            for (FrameEvent f : arrival) {
                h.processElement(f, f.eventTimeMillis());
                if (isAhead.contains(f)) {
                    wmAhead = Math.max(wmAhead, f.eventTimeMillis() - 300);
                } else {
                    wmBehind = Math.max(wmBehind, f.eventTimeMillis() - 300);
                }
                long wm = Math.min(wmAhead, wmBehind); // the reader's watermark: the slower partition's
                if (wm > Long.MIN_VALUE) {
                    h.processWatermark(wm);
                }
            }
            for (StreamRecord<NodeTypeInput> r : records(new ArrayList<>(h.getOutput()))) {
                if (r.getValue().frame() != null) {
                    passedOn++;
                }
            }
            var late = h.getSideOutput(WindowStatsStage.LATE_FRAMES);
            assertTrue(late == null || late.isEmpty());
        }
        assertTrue(passedOn < arrival.size() / 100, passedOn + " of " + arrival.size() + " frames passed on");
    }

    private static String blockKey(FrameEvent f, long block) {
        return f.nodeId() + "|" + f.type() + "|" + Math.floorDiv(f.eventTimeMillis(), block);
    }

    @Test
    void aFrameBehindItsReadersWatermarkGoesOutWholeAndIsNotCounted() throws Exception {
        FrameEvent onTime = frame("n1", "DATA", 12_000, 300);
        FrameEvent late = frame("n1", "DATA", 5_000, 400);
        try (var h = reader(TEN_SECONDS)) {
            h.processElement(onTime, onTime.eventTimeMillis());
            h.processWatermark(WINDOW + 500);
            h.processElement(late, late.eventTimeMillis());
            h.processWatermark(2 * WINDOW);
            assertEquals(List.of(late), h.getSideOutput(WindowStatsStage.LATE_FRAMES).stream()
                    .map(StreamRecord::getValue).toList());
            List<StreamRecord<TypeWindowPartial>> partials = partials(new ArrayList<>(h.getOutput()));
            assertEquals(1, partials.size());
            assertEquals(1, partials.get(0).getValue().stats().count());
        }
        // with allowed lateness the same frame still counts, in a partial of its own window
        try (var h = reader(TEN_SECONDS.withAllowedLatenessMillis(5_000))) {
            h.processElement(onTime, onTime.eventTimeMillis());
            h.processWatermark(WINDOW + 500);
            h.processElement(late, late.eventTimeMillis());
            h.processWatermark(2 * WINDOW);
            var side = h.getSideOutput(WindowStatsStage.LATE_FRAMES);
            assertTrue(side == null || side.isEmpty());
            List<StreamRecord<TypeWindowPartial>> partials = partials(new ArrayList<>(h.getOutput()));
            assertEquals(List.of(WINDOW - 1, 2 * WINDOW - 1), partials.stream().map(StreamRecord::getTimestamp)
                    .sorted().toList());
        }
    }

    @Test
    void aCheckpointBarrierAndIdlenessSendTheOpenPartialsAndNothingIsKeptInState() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(12), 0, WINDOW, 2, 3);
        List<FrameEvent> arrival = arrival(frames, new Random(13), 200);
        int third = arrival.size() / 3;
        List<Object> out = new ArrayList<>();
        try (var h = reader(TEN_SECONDS)) {
            out.addAll(run(h, arrival.subList(0, third), Long.MIN_VALUE));
            h.getOutput().clear();
            h.prepareSnapshotPreBarrier(1);
            OperatorSubtaskState state = h.snapshot(1, 1);
            assertFalse(state.hasState(), "no state: " + state);
            assertTrue(partials(new ArrayList<>(h.getOutput())).size() > 0, "the open windows left at the barrier");
            out.addAll(h.getOutput());
            h.getOutput().clear();

            for (FrameEvent f : arrival.subList(third, 2 * third)) {
                h.processElement(f, f.eventTimeMillis());
            }
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            List<Object> idle = new ArrayList<>(h.getOutput());
            assertEquals(WatermarkStatus.IDLE, idle.get(idle.size() - 1), "idle goes on after the partials");
            assertTrue(partials(idle).size() > 0);
            out.addAll(idle);
            h.getOutput().clear();
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            out.addAll(run(h, arrival.subList(2 * third, arrival.size()), 3 * WINDOW));
        }
        assertRowsMatch(frames, rows(partials(out), 3 * WINDOW));
    }

    /** A checkpoint of the per-type windows folded from every frame (the build before) restores into these. */
    @Test
    void aCheckpointOfThePerFrameTypeWindowsRestoresAndCountsEveryFrameOnce() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(14), 0, WINDOW, 2, 2);
        List<FrameEvent> before = frames.stream().filter(f -> f.eventTimeMillis() < WINDOW / 2).toList();
        List<FrameEvent> after = frames.stream().filter(f -> f.eventTimeMillis() >= WINDOW / 2).toList();
        OperatorSubtaskState old;
        StreamExecutionEnvironment env = Harnesses.environment();
        try (KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> h = Harnesses.of(
                WindowStatsStage.byType(Harnesses.placeholderSource(env, before.get(0), FrameEvent.class),
                        TEN_SECONDS))) {
            h.open();
            for (FrameEvent f : before) {
                h.processElement(f, f.eventTimeMillis());
            }
            old = h.snapshot(1, 1);
        }
        List<StreamRecord<TypeWindowPartial>> partials;
        try (var h = reader(TEN_SECONDS)) {
            partials = partials(run(h, arrival(after, new Random(15), 200), 2 * WINDOW));
            var late = h.getSideOutput(WindowStatsStage.LATE_FRAMES);
            assertTrue(late == null || late.isEmpty());
        }
        List<WindowStats> rows;
        try (var h = typeWindows()) {
            h.initializeState(old);
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials) {
                h.processElement(p);
            }
            h.processWatermark(2 * WINDOW);
            rows = h.extractOutputValues();
        }
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(w -> counts.put(w.nodeId() + "|" + w.type() + "|" + w.windowStartMillis(), w.count()));
        Map<String, Long> expected = new TreeMap<>();
        for (FrameEvent f : frames) {
            expected.merge(f.nodeId() + "|" + f.type() + "|" + (f.eventTimeMillis() / WINDOW * WINDOW), 1L, Long::sum);
        }
        assertEquals(expected, counts);
    }
}
