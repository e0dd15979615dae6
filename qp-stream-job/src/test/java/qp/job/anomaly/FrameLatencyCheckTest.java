package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestFrames;
import qp.job.windows.NodeTypeInput;
import qp.job.windows.NodeTypeInputSerializer;
import qp.job.windows.TypePartialsInReader;
import qp.job.windows.TypeWindowPartial;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.events.FrameEvent;

/**
 * The single-frame latency check as the job runs it: the frames' reader ({@link TypePartialsInReader}) passes on
 * the candidates and the per-type partials, the check judges the candidates and learns the typical frame from the
 * partials. It reports what the detector reports when it judges every frame, and restores the detector's state.
 */
class FrameLatencyCheckTest {
    static final AnalyticsSettings.Detectors D = FrameLatencySpikeDetectorTest.D;

    /** The reader and the check behind it, chained by hand: each output of the reader goes on in order. */
    static final class ReaderThenCheck implements AutoCloseable {
        final OneInputStreamOperatorTestHarness<FrameEvent, NodeTypeInput> reader;
        final KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, NodeTypeInput, TypeWindowPartial> check;
        int framesPassedOn;

        ReaderThenCheck() throws Exception {
            reader = new OneInputStreamOperatorTestHarness<>(
                    new TypePartialsInReader(AnalyticsSettings.Windows.defaults(), D));
            Harnesses.noKryo(reader.getExecutionConfig().getSerializerConfig());
            reader.setup(NodeTypeInputSerializer.INSTANCE);
            reader.open();
            check = Harnesses.keyed(new FrameLatencyCheck(D), in -> Tuple2.of(in.nodeId(), in.type()),
                    LatencySpikeDetectorTest.NODE_TYPE);
        }

        /** One frame after a watermark just behind it, as {@link FrameLatencySpikeDetectorTest#add} feeds them. */
        void add(FrameEvent f) throws Exception {
            reader.processWatermark(f.eventTimeMillis() - 1);
            reader.processElement(f, f.eventTimeMillis());
            drain();
        }

        @SuppressWarnings("unchecked")
        void drain() throws Exception {
            for (Object o : reader.getOutput()) {
                if (o instanceof Watermark w) {
                    check.processWatermark(w);
                } else {
                    StreamRecord<NodeTypeInput> r = (StreamRecord<NodeTypeInput>) o;
                    if (r.getValue().frame() != null) {
                        framesPassedOn++;
                    }
                    check.processElement(r);
                }
            }
            reader.getOutput().clear();
        }

        List<Anomaly> anomalies() {
            List<Anomaly> out = new ArrayList<>();
            var side = check.getSideOutput(FrameLatencyCheck.ANOMALIES);
            if (side != null) {
                side.forEach(r -> out.add(r.getValue()));
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            reader.close();
            check.close();
        }
    }

    static long steady(ReaderThenCheck h, Random rnd, long t, int frames) throws Exception {
        for (int i = 0; i < frames; i++, t += 100) {
            h.add(TestFrames.frame("n1", "COMMAND", t, (long) (1000 * Math.exp(0.3 * rnd.nextGaussian()))));
        }
        return t;
    }

    /** The detector's own scenario ({@link FrameLatencySpikeDetectorTest}), through the reader: the same reports. */
    @Test
    void reportsWhatTheDetectorReportsOnEveryFrameFromTheCandidatesAlone() throws Exception {
        Random rnd = new Random(7);
        long block = D.frameBlockMillis();
        try (var h = new ReaderThenCheck()) {
            long t = steady(h, rnd, 0, 20);
            h.add(TestFrames.frame("n1", "COMMAND", t, 500_000));
            t = steady(h, rnd, t, 580);
            h.add(TestFrames.frame("n1", "STREAM", t, 0));
            assertTrue(h.anomalies().isEmpty(), h.anomalies().toString());

            h.add(TestFrames.frame("n1", "COMMAND", t, 80_000));
            t = steady(h, rnd, t, 10);
            h.add(TestFrames.frame("n1", "COMMAND", t, 90_000));
            t = steady(h, rnd, t, 100);
            h.add(TestFrames.frame("n1", "COMMAND", t, 85_000));
            t = steady(h, rnd, t, 4 * (int) (block / 100));
            h.add(TestFrames.frame("n1", "COMMAND", t, 95_000));
            int frames = 20 + 1 + 580 + 1 + 1 + 10 + 1 + 100 + 1 + 4 * (int) (block / 100) + 1;
            List<Anomaly> out = h.anomalies();
            assertEquals(2, out.size(), out.toString());
            Anomaly first = out.get(0);
            assertEquals(AnomalyKind.FRAME_LATENCY_SPIKE, first.kind());
            assertEquals(80_000, first.value(), 1e-9);
            // the typical frame from the windows' medians: the median of a log-normal around 1 ms is 1 ms
            assertEquals(1000, first.mean(), 150, "typical frame, µs");
            assertTrue(first.threshold() > 2_500 && first.threshold() < 8_000, first.toString());
            assertEquals(60_000, first.windowStartMillis(), "event time of the frame");
            assertTrue(first.detail().contains("0 more spike(s) held back"), first.detail());
            // both held-back spikes were the slowest of their block so far, so the check saw them
            assertTrue(out.get(1).detail().contains("2 more spike(s) held back"), out.get(1).detail());
            assertTrue(h.framesPassedOn < frames / 4,
                    h.framesPassedOn + " of " + frames + " frames crossed the exchange");
        }
    }

    /** A checkpoint of the detector that judged every frame (the build before) restores into the check. */
    @Test
    void aCheckpointOfThePerFrameDetectorRestoresWarmedUp() throws Exception {
        Random rnd = new Random(9);
        OperatorSubtaskState old;
        long t = 0;
        try (var h = FrameLatencySpikeDetectorTest.harness()) {
            t = FrameLatencySpikeDetectorTest.steady(h, rnd, t, 700);
            assertTrue(h.extractOutputValues().isEmpty());
            old = h.snapshot(1, 1);
        }
        try (var check = Harnesses.keyedToRestore(new FrameLatencyCheck(D), in -> Tuple2.of(in.nodeId(), in.type()),
                LatencySpikeDetectorTest.NODE_TYPE)) {
            check.initializeState(old);
            check.open();
            check.processWatermark(t - 1);
            check.processElement(NodeTypeInput.of(TestFrames.frame("n1", "COMMAND", t, 80_000)), t);
            var side = check.getSideOutput(FrameLatencyCheck.ANOMALIES);
            assertTrue(side != null && side.size() == 1, "one spike right after the restore: " + side);
        }
    }
}
