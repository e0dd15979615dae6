package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestFrames;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.events.FrameEvent;

class FrameLatencySpikeDetectorTest {
    static final AnalyticsSettings.Detectors D = AnalyticsSettings.Detectors.defaults();

    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, FrameEvent, Anomaly> harness()
            throws Exception {
        return Harnesses.keyed(new FrameLatencySpikeDetector(D), f -> Tuple2.of(f.nodeId(), f.type()),
                LatencySpikeDetectorTest.NODE_TYPE);
    }

    static void add(KeyedOneInputStreamOperatorTestHarness<?, FrameEvent, Anomaly> h, FrameEvent f) throws Exception {
        h.processElement(f, f.eventTimeMillis());
    }

    @Test
    void aSlowFrameAfterWarmUpIsReportedAndFurtherOnesWaitForTheCoolDown() throws Exception {
        Random rnd = new Random(7);
        try (var h = harness()) {
            long t = 0;
            for (int i = 0; i < 50; i++, t += 10) {
                add(h, TestFrames.frame("n1", "COMMAND", t, (long) (1000 * Math.exp(0.3 * rnd.nextGaussian()))));
            }
            add(h, TestFrames.frame("n1", "COMMAND", t, 500_000)); // during warm-up: no verdict
            for (int i = 0; i < 300; i++, t += 10) {
                add(h, TestFrames.frame("n1", "COMMAND", t, (long) (1000 * Math.exp(0.3 * rnd.nextGaussian()))));
            }
            add(h, TestFrames.frame("n1", "STREAM", t, 0)); // no latency: ignored, no state
            assertTrue(h.extractOutputValues().isEmpty(), h.extractOutputValues().toString());

            add(h, TestFrames.frame("n1", "COMMAND", t, 80_000));
            add(h, TestFrames.frame("n1", "COMMAND", t + 1_000, 90_000)); // inside the cool-down: held back
            add(h, TestFrames.frame("n1", "COMMAND", t + D.frameCooldownMillis() + 1, 95_000));
            List<Anomaly> out = h.extractOutputValues();
            assertEquals(2, out.size(), out.toString());
            Anomaly first = out.get(0);
            assertEquals(AnomalyKind.FRAME_LATENCY_SPIKE, first.kind());
            assertEquals(80_000, first.value(), 1e-9);
            assertEquals(1000, first.mean(), 150, "geometric mean of the baseline, µs");
            assertEquals(0.3, first.sigma(), 0.08, "σ of ln(latency)");
            assertTrue(first.threshold() < 80_000 && first.threshold() > 1000);
            assertEquals(t, first.windowStartMillis());
            assertTrue(first.detail().contains("0 more spike(s) held back"), first.detail());
            assertTrue(out.get(1).detail().contains("1 more spike(s) held back"), out.get(1).detail());
            assertEquals(1, h.numKeyedStateEntries());
        }
    }

    @Test
    void aSilentKeyIsForgottenWithOneCoarseTimerPerKey() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 100; i++) {
                add(h, TestFrames.frame("n1", "ACK", i * 7L, 1000 + i));
                add(h, TestFrames.frame("n2", "ACK", i * 7L, 1000 + i));
            }
            assertEquals(2, h.numKeyedStateEntries());
            assertEquals(2, h.numEventTimeTimers());
            h.processWatermark(700 + D.keyIdleMillis() + 1_000);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
