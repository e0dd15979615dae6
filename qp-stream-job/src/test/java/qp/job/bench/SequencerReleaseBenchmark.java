package qp.job.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import qp.job.analytics.Harnesses;
import qp.job.bigrams.ConnectionSequencer;
import qp.job.bigrams.SequencedRun;
import qp.job.bigrams.TransitionCount;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * The connection sequencer alone, under live-load timing: event time advances with the frames (--rate frames per
 * second of event time), a watermark every 200 ms of event time, 2 s behind the newest frame, as the job's periodic
 * watermarks do when it keeps up with live traffic. Compares releasing at every watermark step (interval 1 ms, the
 * sequencer before) with releasing once per 10 s bigram window, alternating, in one JVM; prints the CPU time of
 * the thread that runs the operator per frame (ns; not wall time: the machine is shared) and the medians. A bounded replay (JobThroughputBenchmark) does not show this cost: there a
 * watermark step spans seconds of event time. Run (see BENCHMARKS.md):
 * <pre>
 * java -Xmx2g -cp qp-stream-job/target/classes:qp-stream-job/target/test-classes:$(cat /tmp/cp-test.txt) \
 *     qp.job.bench.SequencerReleaseBenchmark --frames 2000000 --rounds 3 [--backend rocksdb]
 * </pre>
 */
public final class SequencerReleaseBenchmark {
    private static final java.lang.management.ThreadMXBean THREAD =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private SequencerReleaseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = 2_000_000;
        int rounds = 3;
        int connections = 160;
        int rate = 20_000;
        boolean rocksDb = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--frames" -> frames = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--backend" -> rocksDb = args[i + 1].equals("rocksdb");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FrameEvent[] input = frames(frames, connections, rate);
        long[] intervals = {1, 10_000};
        List<List<Double>> nsPerFrame = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 1; r <= rounds; r++) {
            for (int k = 0; k < intervals.length; k++) {
                long[] transitions = new long[1];
                double ns = run(input, intervals[k], rocksDb, transitions);
                nsPerFrame.get(k).add(ns);
                System.out.printf(Locale.ROOT, "round %d release interval %5d ms: %7.0f CPU ns/frame (%,d transitions)%n",
                        r, intervals[k], ns, transitions[0]);
            }
        }
        for (int k = 0; k < intervals.length; k++) {
            List<Double> s = new ArrayList<>(nsPerFrame.get(k));
            s.sort(null);
            System.out.printf(Locale.ROOT, "median release interval %5d ms: %7.0f CPU ns/frame %s%n", intervals[k],
                    s.get(s.size() / 2), nsPerFrame.get(k));
        }
    }

    static FrameEvent[] frames(int n, int connections, int rate) {
        String[] types = {"AUTH", "COMMAND", "ACK", "DATA", "HEARTBEAT", "STATUS", "ERROR", "CONFIG"};
        Random random = new Random(7);
        long[] seq = new long[connections];
        FrameEvent[] out = new FrameEvent[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(connections);
            long t = Math.max(0, (long) i * 1000 / rate - random.nextInt(200)); // up to 200 ms out of order
            out[i] = new FrameEvent("edge-" + (c % 20), "c-" + c, seq[c]++, "s-" + c, types[random.nextInt(types.length)],
                    null, random.nextBoolean() ? Direction.IN : Direction.OUT, 100, 100, false, 1_000, FrameEvent.OK, 1, t);
        }
        return out;
    }

    static double run(FrameEvent[] input, long interval, boolean rocksDb, long[] transitions) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ConnectionSequencer(120_000, interval, ConnectionSequencer.DEFAULT_MAX_PENDING_FRAMES)),
                (SequencedRun r) -> Tuple2.of(r.nodeId(), r.connectionId()), Types.TUPLE(Types.STRING, Types.STRING));
        Harnesses.noKryo(h.getExecutionConfig().getSerializerConfig());
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        try {
            long newest = 0;
            long nextWatermark = 200;
            long start = THREAD.getCurrentThreadCpuTime();
            for (FrameEvent f : input) {
                h.processElement(SequencedRun.of(f), f.eventTimeMillis());
                newest = Math.max(newest, f.eventTimeMillis());
                if (newest >= nextWatermark) {
                    h.processWatermark(newest - 2_000);
                    nextWatermark += 200;
                    transitions[0] += drain(h);
                }
            }
            h.processWatermark(Long.MAX_VALUE);
            transitions[0] += drain(h);
            return (THREAD.getCurrentThreadCpuTime() - start) / (double) input.length;
        } finally {
            h.close();
        }
    }

    /** The transitions emitted since the last drain (the sum of the counts). */
    @SuppressWarnings("unchecked")
    private static long drain(KeyedOneInputStreamOperatorTestHarness<?, ?, TransitionCount> h) {
        long n = h.getOutput().stream().filter(o -> o instanceof StreamRecord)
                .mapToLong(o -> ((StreamRecord<TransitionCount>) o).getValue().count()).sum();
        h.getOutput().clear();
        return n;
    }
}
