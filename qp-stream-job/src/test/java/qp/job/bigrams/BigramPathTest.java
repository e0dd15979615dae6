package qp.job.bigrams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.protocol.analytics.BigramWindow;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * The sequencer and the "bigrams" window operator of the job, one feeding the other as the job wires them, against
 * bigram counts worked out from the generated frames alone: per node and window, each FROM->TO of consecutive frames
 * of a connection (event time, then seq), counted in the window of the later frame. The traffic: several connections
 * on several nodes, arrival shuffled within the watermark delay, a source that stalls for two and a half windows (so
 * that one release spans several windows), and a burst connection that sends more than the sequencer's bound of
 * waiting frames while the watermark stands still (so that frames are put in order at the bound, across a window end).
 */
class BigramPathTest {
    static final long WINDOW = 1_000;
    static final long DELAY = 300;
    static final long IDLE = 120_000;
    static final int BOUND = 1_000;
    static final long STALL_FROM = 3_000;
    static final long STALL_UNTIL = 5_500;
    static final String[] TYPES = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT"};

    record Arrival(double at, SequencedFrame f) {
    }

    /** Regular connections, arrival up to 200 ms after event time, plus the burst and a node with one connection. */
    static List<Arrival> traffic(Random rnd) {
        List<Arrival> out = new ArrayList<>();
        int conn = 0;
        for (String node : List.of("n1", "n2", "n3")) {
            int connections = node.equals("n3") ? 1 : 3;
            for (int c = 0; c < connections; c++, conn++) {
                long seq = 0;
                for (long t = rnd.nextInt(50); t < 9 * WINDOW + 500; t += 5 + rnd.nextInt(10)) {
                    // now and then two frames in the same millisecond: seq orders them
                    int frames = rnd.nextInt(10) == 0 ? 2 : 1;
                    for (int i = 0; i < frames; i++) {
                        out.add(new Arrival(t + rnd.nextDouble() * 200, new SequencedFrame(node, "c" + conn, seq++, t,
                                TYPES[rnd.nextInt(TYPES.length)])));
                    }
                }
            }
        }
        // The burst: 3 x BOUND frames from 3,500 to 4,400 ms while the source stalls, shuffled within each block of
        // BOUND, so that each block is put in order at the bound and none comes after a later one was.
        long blockMillis = BOUND * 3L / 10;
        for (int block = 0; block < 3; block++) {
            long first = 3_500 + block * blockMillis;
            for (int i = block * BOUND; i < (block + 1) * BOUND; i++) {
                long t = 3_500 + i * 3L / 10;
                out.add(new Arrival(first + rnd.nextDouble() * (blockMillis - 1),
                        new SequencedFrame("n2", "burst", i, t, TYPES[rnd.nextInt(TYPES.length)])));
            }
        }
        out.sort(Comparator.comparingDouble(Arrival::at));
        return out;
    }

    @ParameterizedTest(name = "sequencer on {0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void theBigramWindowsCountEveryTransitionOfTheFramesOnce(String backend) throws Exception {
        countEveryTransitionOnce(backend, false);
    }

    /** As the job runs it: the frames gathered into runs per connection in the reader ({@link ConnectionRunsInReader}). */
    @ParameterizedTest(name = "sequencer on {0}")
    @ValueSource(strings = {"heap", "rocksdb"})
    void theBigramWindowsCountEveryTransitionOnceWhenTheFramesComeInRuns(String backend) throws Exception {
        countEveryTransitionOnce(backend, true);
    }

    /** The frames one at a time to the sequencer, or through the reader's runs. */
    private static final class Feed implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, SequencedRun, TransitionCount> sequencer;
        final OneInputStreamOperatorTestHarness<FrameEvent, SequencedRun> runs;
        long runRecords;

        Feed(KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, SequencedRun, TransitionCount> sequencer,
                boolean inRuns) throws Exception {
            this.sequencer = sequencer;
            if (inRuns) {
                runs = new OneInputStreamOperatorTestHarness<>(new ConnectionRunsInReader());
                Harnesses.noKryo(runs.getExecutionConfig().getSerializerConfig());
                runs.setup(SequencedRunSerializer.INSTANCE);
                runs.open();
            } else {
                runs = null;
            }
        }

        void frame(SequencedFrame f) throws Exception {
            if (runs == null) {
                sequencer.processElement(SequencedRun.of(f), f.eventTimeMillis());
                return;
            }
            runs.processElement(new FrameEvent(f.nodeId(), f.connectionId(), f.seq(), "s", f.type(), null,
                    Direction.IN, 10, 3, false, 0, FrameEvent.OK, 1, f.eventTimeMillis()), f.eventTimeMillis());
            move();
        }

        void watermark(long w) throws Exception {
            if (runs == null) {
                sequencer.processWatermark(w);
                return;
            }
            runs.processWatermark(w);
            move();
        }

        @SuppressWarnings("unchecked")
        private void move() throws Exception {
            for (Object o : runs.getOutput()) {
                if (o instanceof Watermark w) {
                    sequencer.processWatermark(w);
                } else {
                    runRecords++;
                    sequencer.processElement((StreamRecord<SequencedRun>) o);
                }
            }
            runs.getOutput().clear();
        }

        @Override
        public void close() throws Exception {
            if (runs != null) {
                runs.close();
            }
        }
    }

    private static void countEveryTransitionOnce(String backend, boolean inRuns) throws Exception {
        List<Arrival> arrivals = traffic(new Random(11));
        var sequencer = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ConnectionSequencer(IDLE, WINDOW, BOUND)),
                (SequencedRun r) -> Tuple2.of(r.nodeId(), r.connectionId()), Types.TUPLE(Types.STRING, Types.STRING));
        Harnesses.noKryo(sequencer.getExecutionConfig().getSerializerConfig());
        sequencer.setStateBackend(Harnesses.backend(backend));
        var env = Harnesses.environment();
        KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow> bigrams = Harnesses.of(
                BigramStage.bigrams(env.fromData(List.of(new TransitionCount("n", "A", "B", 0, 1)),
                        TransitionCountSerializer.TYPE), new AnalyticsSettings.Bigrams(100, IDLE),
                        AnalyticsSettings.Windows.defaults().withSizeMillis(WINDOW)));
        Pipe pipe = new Pipe(sequencer, bigrams);
        Feed feed = new Feed(sequencer, inRuns);
        try (sequencer; bigrams; feed) {
            sequencer.open();
            bigrams.open();
            long newest = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            double nextWatermarkAt = 100;
            Set<Long> windowsOfOneFlush = new TreeSet<>();
            Set<Long> windowsOfTheReleaseAfterTheStall = new TreeSet<>();
            for (Arrival a : arrivals) {
                while (nextWatermarkAt <= a.at()) {
                    boolean stalled = nextWatermarkAt >= STALL_FROM && nextWatermarkAt < STALL_UNTIL;
                    if (!stalled && newest - DELAY > watermark) {
                        watermark = newest - DELAY;
                        feed.watermark(watermark);
                        List<TransitionCount> released = pipe.move();
                        if (nextWatermarkAt >= STALL_UNTIL && windowsOfTheReleaseAfterTheStall.isEmpty()) {
                            released.stream().filter(t -> t.nodeId().equals("n3"))
                                    .forEach(t -> windowsOfTheReleaseAfterTheStall.add(start(t)));
                        }
                    }
                    nextWatermarkAt += 100;
                }
                assertTrue(a.f().eventTimeMillis() > watermark, "the traffic has no late frame: " + a);
                feed.frame(a.f());
                newest = Math.max(newest, a.f().eventTimeMillis());
                List<TransitionCount> flushed = pipe.move();
                if (!flushed.isEmpty() && windowsOfOneFlush.size() < 2) {
                    windowsOfOneFlush.clear();
                    flushed.forEach(t -> windowsOfOneFlush.add(start(t)));
                }
            }
            feed.watermark(Long.MAX_VALUE);
            pipe.move();
            if (inRuns) {
                assertTrue(feed.runRecords < arrivals.size() / 5,
                        feed.runRecords + " runs for " + arrivals.size() + " frames");
            }

            Map<String, Map<String, Long>> want = BigramOracle.expected(arrivals.stream().map(Arrival::f).toList(), WINDOW);
            Map<String, Map<String, Long>> got = new TreeMap<>();
            for (BigramWindow w : bigrams.extractOutputValues()) {
                Map<String, Long> counts = new TreeMap<>();
                w.top().forEach(c -> counts.put(c.sequence(), c.count()));
                assertEquals(w.distinctSequences(), counts.size(), "all pairs listed (top 100): " + w);
                assertEquals(w.totalTransitions(), counts.values().stream().mapToLong(Long::longValue).sum());
                assertEquals(WINDOW, w.windowEndMillis() - w.windowStartMillis());
                assertEquals(null, got.put(w.nodeId() + "|" + w.windowStartMillis(), counts), "one row per window");
            }
            assertEquals(want, got);
            // the traffic did what it is meant to, and the edge carried counts, not transitions
            assertEquals(2, windowsOfOneFlush.size(), "the burst is put in order at the bound across a window end");
            assertTrue(windowsOfTheReleaseAfterTheStall.size() >= 2,
                    "n3's one connection released several windows at once: " + windowsOfTheReleaseAfterTheStall);
            long transitions = arrivals.size() - arrivals.stream().map(a -> a.f().connectionId()).distinct().count();
            assertTrue(pipe.records < transitions / 3,
                    pipe.records + " records for " + transitions + " transitions: counted per pair and window");

            if (backend.equals("heap")) { // the harness counts entries of the heap backend only
                assertEquals(0, sequencer.numKeyedStateEntries());
            }
            assertEquals(0, sequencer.numEventTimeTimers());
            assertEquals(0, bigrams.numKeyedStateEntries());
            assertEquals(0, bigrams.numEventTimeTimers());
        }
    }

    static long start(TransitionCount t) {
        return t.eventTimeMillis() - Math.floorMod(t.eventTimeMillis(), WINDOW);
    }

    /** Hands what the sequencer emitted (records and watermarks, in order) to the bigram windows, as the edge does. */
    static final class Pipe {
        private final KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, TransitionCount> from;
        private final KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow> to;
        long records;

        Pipe(KeyedOneInputStreamOperatorTestHarness<?, SequencedRun, TransitionCount> from,
                KeyedOneInputStreamOperatorTestHarness<String, TransitionCount, BigramWindow> to) {
            this.from = from;
            this.to = to;
        }

        @SuppressWarnings("unchecked")
        List<TransitionCount> move() throws Exception {
            List<TransitionCount> moved = new ArrayList<>();
            for (Object o : new ArrayList<>(from.getOutput())) {
                if (o instanceof StreamRecord<?> r) {
                    moved.add((TransitionCount) r.getValue());
                    to.processElement((StreamRecord<TransitionCount>) r);
                } else if (o instanceof Watermark w) {
                    to.processWatermark(w);
                }
            }
            from.getOutput().clear();
            records += moved.size();
            return moved;
        }
    }
}
