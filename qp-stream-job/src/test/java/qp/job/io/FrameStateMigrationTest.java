package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.Harnesses;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Keyed state holding frame events ({@link QpTypes#FRAME}) in a checkpoint of the build before the experiment fields
 * (b45d24a, whose FrameEventSerializer wrote 14 fields under Flink's SimpleTypeSerializerSnapshot) restores in this
 * build, on the heap and in RocksDB; the state is then written in the new layout, and frames with an experiment
 * join it. The checkpoints under {@code src/test/resources/qp/job/io/} were taken by that build's serializer with
 * {@link #main}: compile b45d24a's {@code qp/job/io/FrameEventSerializer.java} into a folder and run this class with
 * that folder first on the test class path.
 */
class FrameStateMigrationTest {
    static final long T0 = 1_700_000_000_000L;

    /** Holds each node's frames in list state until the watermark passes them, then emits them. */
    static final class HoldFrames extends KeyedProcessFunction<String, FrameEvent, FrameEvent> {
        private transient ListState<FrameEvent> held;

        @Override
        public void open(OpenContext openContext) {
            held = getRuntimeContext().getListState(new ListStateDescriptor<>("held-frames", QpTypes.FRAME));
        }

        @Override
        public void processElement(FrameEvent f, Context ctx, Collector<FrameEvent> out) throws Exception {
            held.add(f);
            ctx.timerService().registerEventTimeTimer(f.eventTimeMillis());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<FrameEvent> out) throws Exception {
            List<FrameEvent> later = new ArrayList<>();
            for (FrameEvent f : held.get()) {
                if (f.eventTimeMillis() <= timestamp) {
                    out.collect(f);
                } else {
                    later.add(f);
                }
            }
            held.update(later);
            if (later.isEmpty()) {
                held.clear();
            }
        }
    }

    /** What the old build held: two nodes, both directions, with and without session, op and latency. */
    static List<FrameEvent> oldFrames() {
        List<FrameEvent> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String node = i % 2 == 0 ? "edge-1" : "edge-2";
            out.add(new FrameEvent(node, "c" + i % 3, i, i % 4 == 0 ? null : "s" + i % 3, i % 3 == 0 ? "COMMAND" : "ACK",
                    i % 3 == 0 ? "echo" : null, i % 2 == 0 ? Direction.IN : Direction.OUT, 100 + i, 90 + i, i % 5 == 0,
                    i % 3 == 0 ? 1_000L * i : 0, i % 7 == 0 ? "UNKNOWN_OP" : "ok", 3, T0 + 100L * i));
        }
        return out;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, FrameEvent> harness(String backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, FrameEvent, FrameEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new HoldFrames()),
                        FrameEvent::nodeId, Types.STRING);
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        h.setStateBackend(Harnesses.backend(backend));
        return h;
    }

    static String resource(String backend) {
        return "frames-state-before-experiments-" + backend + ".snapshot";
    }

    /** Writes the checkpoints of both backends into {@code args[0]} with whatever FrameEventSerializer is loaded. */
    public static void main(String[] args) throws Exception {
        for (String backend : List.of("heap", "rocksdb")) {
            try (var h = harness(backend)) {
                h.open();
                for (FrameEvent f : oldFrames()) {
                    h.processElement(f, f.eventTimeMillis());
                }
                OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), Path.of(args[0], resource(backend)).toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aCheckpointOfTheBuildBeforeTheExperimentFieldsRestoresAndKeepsGoing(String backend) throws Exception {
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(resourcePath(resource(backend)));
        List<FrameEvent> newer = List.of(
                new FrameEvent("edge-1", "c9", 0, "s9", "DATA", null, Direction.IN, 50, 40, false, 300, "ok", 4,
                        T0 + 5_000, "exp-1", "treatment", 3),
                new FrameEvent("edge-2", "c8", 0, null, "ACK", null, Direction.OUT, 9, 0, false, 0, "ok", 4,
                        T0 + 5_001, "exp-1", "control", 0));
        OperatorSubtaskState migrated;
        try (var h = harness(backend)) {
            h.initializeState(old);
            h.open();
            for (FrameEvent f : newer) {
                h.processElement(f, f.eventTimeMillis());
            }
            migrated = h.snapshot(2, 2);
        }
        try (var h = harness(backend)) { // the state as this build wrote it, old frames and new
            h.initializeState(migrated);
            h.open();
            h.processWatermark(T0 + 10_000);
            List<FrameEvent> expected = new ArrayList<>(oldFrames());
            expected.addAll(newer);
            assertThat(sorted(h.extractOutputValues())).isEqualTo(sorted(expected));
            if (backend.equals("heap")) { // the RocksDB harness cannot count its entries
                assertThat(h.numKeyedStateEntries()).isZero();
            }
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static List<FrameEvent> sorted(List<FrameEvent> frames) {
        return frames.stream().sorted(Comparator.comparing(FrameEvent::nodeId).thenComparing(FrameEvent::connectionId)
                .thenComparingLong(FrameEvent::seq)).toList();
    }

    private static String resourcePath(String name) throws URISyntaxException {
        var url = FrameStateMigrationTest.class.getResource(name);
        assertThat(url).as("test resource " + name).isNotNull();
        Path p = Path.of(url.toURI());
        assertThat(Files.isRegularFile(p)).isTrue();
        return p.toString();
    }
}
