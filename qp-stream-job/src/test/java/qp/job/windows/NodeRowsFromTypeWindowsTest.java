package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static qp.job.analytics.TestFrames.frame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;

/**
 * The per-node rows merged from the per-type windows' results, with the real operators in harnesses chained by hand
 * (the per-type window's partials, with their timestamps, fed to the node window): equal to an oracle over the frames
 * and to the per-frame node window; a checkpoint of the per-frame node window restores into it.
 */
class NodeRowsFromTypeWindowsTest {
    private static final AnalyticsSettings.Windows TEN_SECONDS = AnalyticsSettings.Windows.defaults();
    private static final long WINDOW = TEN_SECONDS.sizeMillis();

    private static DataStream<FrameEvent> source(StreamExecutionEnvironment env) {
        return Harnesses.placeholderSource(env, frame("n", "DATA", 0, 0), FrameEvent.class);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> byType() throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        return Harnesses.of(WindowStatsStage.byType(source(env), TEN_SECONDS));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TypeWindowPartial, WindowStats> byNodeFromTypes()
            throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        SingleOutputStreamOperator<WindowStats> byType = WindowStatsStage.byType(source(env), TEN_SECONDS);
        return Harnesses.of(WindowStatsStage.byNodeFromTypes(byType.getSideOutput(WindowStatsStage.TYPE_PARTIALS),
                TEN_SECONDS));
    }

    /** The per-frame node window, as the build before this one ran it with the same settings. */
    private static KeyedOneInputStreamOperatorTestHarness<String, NodeFrame, WindowStats> byNodePerFrame()
            throws Exception {
        StreamExecutionEnvironment env = Harnesses.environment();
        return Harnesses.of(WindowStatsStage.byNode(WindowStatsStage.nodeFrames(source(env)), TEN_SECONDS));
    }

    /** Runs the frames through the per-type window up to {@code watermark}; its partials, as they were emitted. */
    private static List<StreamRecord<TypeWindowPartial>> partials(List<FrameEvent> frames, long watermark)
            throws Exception {
        try (var h = byType()) {
            h.open();
            for (FrameEvent f : frames) {
                h.processElement(f, f.eventTimeMillis());
            }
            h.processWatermark(watermark);
            List<StreamRecord<TypeWindowPartial>> out =
                    new ArrayList<>(h.getSideOutput(WindowStatsStage.TYPE_PARTIALS));
            assertEquals(0, h.numKeyedStateEntries(), "per-type windows dropped once fired");
            return out;
        }
    }

    @Test
    void nodeRowsMergedFromTheTypeWindowsMatchTheFramesAndThePerFrameNodeWindow() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(20261207L), 0, WINDOW, 3, 4);
        long end = 4 * WINDOW;
        List<StreamRecord<TypeWindowPartial>> partials = partials(frames, end);
        for (StreamRecord<TypeWindowPartial> p : partials) {
            long start = p.getTimestamp() - Math.floorMod(p.getTimestamp(), WINDOW);
            assertEquals(start + WINDOW - 1, p.getTimestamp(), "a partial carries its window's last millisecond");
            assertTrue(p.getValue().stats().count() > 0);
        }
        List<WindowStats> rows;
        try (var h = byNodeFromTypes()) {
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials) {
                h.processElement(p);
            }
            assertTrue(h.extractOutputValues().isEmpty(), "nothing before the watermark");
            h.processWatermark(end);
            rows = sorted(h.extractOutputValues());
            assertEquals(0, h.numKeyedStateEntries(), "node window state dropped once fired");
            assertEquals(0, h.numEventTimeTimers());
        }
        Map<String, List<FrameEvent>> expected = NodeRowOracle.byNodeWindow(frames, WINDOW);
        assertEquals(expected.keySet(), keys(rows));
        for (WindowStats row : rows) {
            NodeRowOracle.assertRow(expected.get(key(row)), row, TEN_SECONDS.sketchRelativeAccuracy());
        }

        List<WindowStats> perFrame;
        try (var h = byNodePerFrame()) {
            h.open();
            for (FrameEvent f : frames) {
                h.processElement(NodeFrame.of(f), f.eventTimeMillis());
            }
            h.processWatermark(end);
            perFrame = sorted(h.extractOutputValues());
        }
        assertEquals(perFrame.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) { // the same sketch bins either way: the same quantiles
            WindowStats a = rows.get(i);
            WindowStats b = perFrame.get(i);
            assertEquals(b.latencyP50Micros(), a.latencyP50Micros(), 0.0);
            assertEquals(b.latencyP99Micros(), a.latencyP99Micros(), 0.0);
            assertEquals(b.payloadP95Bytes(), a.payloadP95Bytes(), 0.0);
            assertEquals(b.payloadMeanBytes(), a.payloadMeanBytes(), 1e-9 * b.payloadMeanBytes());
            assertEquals(b.payloadStddevBytes(), a.payloadStddevBytes(), 1e-6 * b.payloadStddevBytes());
        }
    }

    /** A checkpoint between the partials and the watermark that closes their window: nothing lost, nothing twice. */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void partialsHeldAtACheckpointRestoreAndTheWindowFiresWithAllOfThem(String backend) throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(11), 0, WINDOW, 3, 1);
        List<StreamRecord<TypeWindowPartial>> partials = partials(frames, WINDOW);
        int half = partials.size() / 2;
        OperatorSubtaskState held;
        try (var h = byNodeFromTypes()) {
            h.setStateBackend(Harnesses.backend(backend));
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials.subList(0, half)) {
                h.processElement(p);
            }
            held = h.snapshot(1, 1);
        }
        try (var h = byNodeFromTypes()) {
            h.setStateBackend(Harnesses.backend(backend));
            h.initializeState(held);
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials.subList(half, partials.size())) {
                h.processElement(p);
            }
            h.processWatermark(WINDOW);
            Map<String, List<FrameEvent>> expected = NodeRowOracle.byNodeWindow(frames, WINDOW);
            List<WindowStats> rows = sorted(h.extractOutputValues());
            assertEquals(expected.keySet(), keys(rows));
            for (WindowStats row : rows) {
                NodeRowOracle.assertRow(expected.get(key(row)), row, TEN_SECONDS.sketchRelativeAccuracy());
            }
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aPartialRoundTripsThroughItsSerializer() throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(3), 0, WINDOW, 1, 1);
        TypeWindowPartial p = partials(frames, WINDOW).get(0).getValue();
        var out = new DataOutputSerializer(256);
        TypeWindowPartialSerializer.INSTANCE.serialize(p, out);
        TypeWindowPartial back = TypeWindowPartialSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(p.nodeId(), back.nodeId());
        assertEquals(p.type(), back.type());
        var again = new DataOutputSerializer(256);
        StatsAccumulatorSerializer.INSTANCE.serialize(back.stats(), again);
        var first = new DataOutputSerializer(256);
        StatsAccumulatorSerializer.INSTANCE.serialize(p.stats(), first);
        assertArrayEquals(first.getCopyOfBuffer(), again.getCopyOfBuffer(), "the accumulator's bytes, unchanged");
        assertSame(TypeWindowPartialSerializer.INSTANCE,
                TypeWindowPartialSerializer.INSTANCE.snapshotConfiguration().restoreSerializer());
    }

    @Test
    void withAllowedLatenessThePerTypeWindowsEmitNoPartials() throws Exception {
        AnalyticsSettings.Windows lateness = TEN_SECONDS.withAllowedLatenessMillis(5_000);
        assertFalse(WindowStatsStage.nodeRowsFromTypes(lateness), "a second firing would count its frames twice");
        StreamExecutionEnvironment env = Harnesses.environment();
        try (KeyedOneInputStreamOperatorTestHarness<Object, FrameEvent, WindowStats> h =
                Harnesses.of(WindowStatsStage.byType(source(env), lateness))) {
            h.open();
            h.processElement(frame("n1", "DATA", 1_000, 10), 1_000);
            h.processWatermark(WINDOW);
            h.processElement(frame("n1", "DATA", 2_000, 10), 2_000);
            assertEquals(2, h.extractOutputValues().size(), "fired twice");
            var side = h.getSideOutput(WindowStatsStage.TYPE_PARTIALS);
            assertTrue(side == null || side.isEmpty());
        }
    }

    /**
     * Upgrade from the per-frame node window (same uid, key, assigner and accumulator): the window open at the
     * checkpoint counts its frames from before the checkpoint twice, as documented; the next window is exact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aCheckpointOfThePerFrameNodeWindowRestoresAndOnlyTheOpenWindowCountsItsEarlyFramesTwice(String backend)
            throws Exception {
        List<FrameEvent> frames = NodeRowOracle.traffic(new Random(7), 0, WINDOW, 2, 2);
        List<FrameEvent> before = frames.stream().filter(f -> f.eventTimeMillis() < WINDOW / 2).toList();
        OperatorSubtaskState old;
        try (var h = byNodePerFrame()) {
            h.setStateBackend(Harnesses.backend(backend));
            h.open();
            for (FrameEvent f : before) {
                h.processElement(NodeFrame.of(f), f.eventTimeMillis());
            }
            old = h.snapshot(1, 1);
        }
        // the per-type windows restored from the same checkpoint hold the same early frames: they see all of them
        List<StreamRecord<TypeWindowPartial>> partials = partials(frames, 2 * WINDOW);
        List<WindowStats> rows;
        try (var h = byNodeFromTypes()) {
            h.setStateBackend(Harnesses.backend(backend));
            h.initializeState(old);
            h.open();
            for (StreamRecord<TypeWindowPartial> p : partials) {
                h.processElement(p);
            }
            h.processWatermark(2 * WINDOW);
            rows = sorted(h.extractOutputValues());
            if (backend.equals("heap")) { // the RocksDB harness cannot count its entries
                assertEquals(0, h.numKeyedStateEntries());
            }
            assertEquals(0, h.numEventTimeTimers());
        }
        Map<String, List<FrameEvent>> expected = NodeRowOracle.byNodeWindow(frames, WINDOW);
        Map<String, List<FrameEvent>> early = NodeRowOracle.byNodeWindow(before, WINDOW);
        assertEquals(expected.keySet(), keys(rows));
        for (WindowStats row : rows) {
            List<FrameEvent> seen = new ArrayList<>(expected.get(key(row)));
            seen.addAll(early.getOrDefault(key(row), List.of()));
            if (row.windowStartMillis() == 0) {
                assertTrue(early.containsKey(key(row)));
            }
            NodeRowOracle.assertRow(seen, row, TEN_SECONDS.sketchRelativeAccuracy());
        }
    }

    private static String key(WindowStats row) {
        return row.nodeId() + "|" + row.windowStartMillis();
    }

    private static Set<String> keys(List<WindowStats> rows) {
        return new TreeSet<>(rows.stream().map(NodeRowsFromTypeWindowsTest::key).toList());
    }

    private static List<WindowStats> sorted(List<WindowStats> out) {
        return out.stream().sorted(Comparator.comparing(WindowStats::windowEndMillis)
                .thenComparing(WindowStats::nodeId)).toList();
    }
}
