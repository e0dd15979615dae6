package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static qp.job.analytics.TestFrames.onConnection;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.Harnesses;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/** The sequencer releasing frames once per bigram window, as the job runs it, against releasing at every step. */
class ConnectionSequencerReleaseTest {
    static final long IDLE = 120_000;
    static final long WINDOW = 10_000;

    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, SequencedRun, TransitionCount> harness(
            ConnectionSequencer s, boolean rocksDb) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(s),
                (SequencedRun r) -> Tuple2.of(r.nodeId(), r.connectionId()), Types.TUPLE(Types.STRING, Types.STRING));
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }

    static void add(KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, ?> h, FrameEvent f) throws Exception {
        h.processElement(SequencedRun.of(f), f.eventTimeMillis());
    }

    @Test
    void framesWaitForTheEndOfTheirBigramWindowThenTheWatermarkReleasesAllItHasPassed() throws Exception {
        try (var h = harness(new ConnectionSequencer(IDLE, WINDOW, 1_000), false)) {
            add(h, onConnection("n1", "c1", 1, "ACK", Direction.OUT, 1_100));
            add(h, onConnection("n1", "c1", 0, "AUTH", Direction.IN, 1_000));
            add(h, onConnection("n1", "c1", 2, "COMMAND", Direction.IN, 9_999));
            add(h, onConnection("n1", "c1", 3, "ACK", Direction.OUT, 10_100)); // the next window
            add(h, onConnection("n1", "c1", 4, "DATA", Direction.IN, 12_500));
            assertEquals(1, h.numEventTimeTimers(), "one release timer, at the end of the earliest frame's window");

            h.processWatermark(9_998);
            assertTrue(h.extractOutputValues().isEmpty(), "the window has not ended: frames wait");
            h.processWatermark(10_200); // passes the window's end and one frame of the next window
            assertEquals(List.of("AUTH->ACK@1100", "ACK->COMMAND@9999", "COMMAND->ACK@10100"),
                    pairs(h.extractOutputValues()), "everything the watermark has passed, in order");
            assertEquals(2, h.numEventTimeTimers(), "the next window's release and the clean-up");

            add(h, onConnection("n1", "c1", 9, "ERROR", Direction.OUT, 10_150)); // behind the watermark: skipped
            add(h, onConnection("n1", "c1", 5, "ACK", Direction.OUT, 12_000));
            h.processWatermark(15_000);
            assertEquals(3, h.extractOutputValues().size(), "the next window's frames wait for its end");
            h.processWatermark(19_999);
            assertEquals(List.of("AUTH->ACK@1100", "ACK->COMMAND@9999", "COMMAND->ACK@10100", "ACK->ACK@12000",
                    "ACK->DATA@12500"), pairs(h.extractOutputValues()));

            h.processWatermark(12_500 + IDLE);
            assertEquals(0, h.numKeyedStateEntries(), "forgotten after the idle time");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    /**
     * An out-of-order stream over several connections with a watermark every 200 ms: the same transitions per
     * connection, window and pair as when releasing at every watermark step, and every window's transitions out by
     * the time the watermark passes the window's end (so the bigram window that the watermark fires has them all).
     */
    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {false, true})
    void sameTransitionsAsReleasingAtEveryWatermarkStepAndEachWindowCompleteAtItsEnd(boolean rocksDb)
            throws Exception {
        Random random = new Random(42);
        try (var everyStep = harness(new ConnectionSequencer(IDLE), false);
                var perWindow = harness(new ConnectionSequencer(IDLE, WINDOW, ConnectionSequencer.DEFAULT_MAX_PENDING_FRAMES),
                        rocksDb)) {
            String[] types = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT"};
            long[] seq = new long[4];
            long newest = 0;
            long nextWatermark = 200;
            for (long clock = 0; clock < 65_000; clock += 1 + random.nextInt(20)) {
                int conn = random.nextInt(seq.length);
                long t = Math.max(0, clock - random.nextInt(300)); // up to 300 ms out of order
                if (random.nextInt(500) == 0) {
                    t = Math.max(0, clock - 3_000); // now and then behind the watermark: skipped by both
                }
                FrameEvent f = onConnection("n" + conn, "c" + conn, seq[conn]++, types[random.nextInt(types.length)],
                        random.nextBoolean() ? Direction.IN : Direction.OUT, t);
                add(everyStep, f);
                add(perWindow, f);
                newest = Math.max(newest, t);
                if (clock >= nextWatermark) {
                    long w = newest - 2_000;
                    everyStep.processWatermark(w);
                    perWindow.processWatermark(w);
                    nextWatermark += 200;
                    assertEquals(closedWindows(everyStep.extractOutputValues(), w),
                            closedWindows(perWindow.extractOutputValues(), w), "windows ended by watermark " + w);
                }
            }
            everyStep.processWatermark(Long.MAX_VALUE);
            perWindow.processWatermark(Long.MAX_VALUE);
            List<TransitionCount> expected = everyStep.extractOutputValues();
            assertTrue(expected.size() > 5_000, "a stream worth comparing: " + expected.size());
            assertTrue(perWindow.extractOutputValues().size() < expected.size() / 5,
                    "counted per pair and window: " + perWindow.extractOutputValues().size() + " records");
            assertEquals(byConnection(expected), byConnection(perWindow.extractOutputValues()));
            if (!rocksDb) { // the harness counts entries of the heap backend only
                assertEquals(0, perWindow.numKeyedStateEntries());
            }
            assertEquals(0, perWindow.numEventTimeTimers());
        }
    }

    /** Each record as "FROM->TO@time", with "xN" when it counts N > 1 transitions, in emitted order. */
    static List<String> pairs(List<TransitionCount> out) {
        return out.stream().map(t -> t.from() + "->" + t.to() + "@" + t.eventTimeMillis()
                + (t.count() == 1 ? "" : "x" + t.count())).toList();
    }

    /** Per connection (node here), window start and "FROM->TO", how many transitions were emitted. */
    static Map<String, Long> byConnection(List<TransitionCount> out) {
        Map<String, Long> m = new TreeMap<>();
        for (TransitionCount t : out) {
            long start = t.eventTimeMillis() - Math.floorMod(t.eventTimeMillis(), WINDOW);
            m.merge(t.nodeId() + "|" + start + "|" + t.from() + "->" + t.to(), (long) t.count(), Long::sum);
        }
        return m;
    }

    /** Per connection, window and pair, the transitions of the windows the watermark has ended. */
    static Map<String, Long> closedWindows(List<TransitionCount> out, long watermark) {
        return byConnection(out.stream()
                .filter(t -> t.eventTimeMillis() - Math.floorMod(t.eventTimeMillis(), WINDOW) + WINDOW - 1 <= watermark)
                .collect(Collectors.toList()));
    }
}
