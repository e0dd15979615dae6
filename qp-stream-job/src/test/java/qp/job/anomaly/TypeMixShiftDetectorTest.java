package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestWindows;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.WindowStats;

class TypeMixShiftDetectorTest {
    static final AnalyticsSettings.Detectors D = AnalyticsSettings.Detectors.defaults();

    static KeyedOneInputStreamOperatorTestHarness<String, WindowStats, Anomaly> harness() throws Exception {
        return Harnesses.keyed(new TypeMixShiftDetector(D), WindowStats::nodeId, Types.STRING);
    }

    static Map<String, Long> usual(int i) {
        return Map.of("COMMAND", 480L + i % 7 * 5, "ACK", 480L + i % 5 * 6, "HEARTBEAT", 40L);
    }

    @Test
    void aLastingShiftIsOneAnomalyAndBecomesTheNewBaseline() throws Exception {
        try (var h = harness()) {
            int i = 0;
            for (; i < 15; i++) {
                LatencySpikeDetectorTest.feed(h, TestWindows.mix("n1", i, usual(i)));
            }
            assertTrue(h.extractOutputValues().isEmpty());
            Map<String, Long> shifted = Map.of("COMMAND", 100L, "ACK", 100L, "DATA", 800L);
            for (; i < 60; i++) {
                LatencySpikeDetectorTest.feed(h, TestWindows.mix("n1", i, shifted));
            }
            List<Anomaly> out = h.extractOutputValues();
            assertEquals(1, out.size(), "one anomaly for a lasting shift: " + out);
            Anomaly a = out.get(0);
            assertEquals(AnomalyKind.TYPE_MIX_SHIFT, a.kind());
            assertEquals(15 * TestWindows.WINDOW_MILLIS, a.windowStartMillis());
            // baseline ≈ {COMMAND .49, ACK .49, HEARTBEAT .04}; window {COMMAND .1, ACK .1, DATA .8}: TV ≈ .8
            assertEquals(0.8, a.value(), 0.02);
            assertEquals(D.typeMixThreshold(), a.threshold(), 1e-9);
            assertEquals(Severity.CRITICAL, a.severity());
            assertTrue(a.detail().contains("DATA=80%"), a.detail());

            for (int j = 0; j < 3; j++, i++) { // back to the old mix: now that is a shift from the learned baseline
                LatencySpikeDetectorTest.feed(h, TestWindows.mix("n1", i, usual(i)));
            }
            assertEquals(2, h.extractOutputValues().size());
        }
    }

    @Test
    void smallWindowsAreNotJudgedAndSilentNodesAreForgotten() throws Exception {
        try (var h = harness()) {
            LatencySpikeDetectorTest.feed(h, TestWindows.mix("n1", 0, Map.of("DATA", D.minMixFrames() - 1)));
            assertEquals(0, h.numKeyedStateEntries());
            for (int i = 0; i < 8; i++) {
                LatencySpikeDetectorTest.feed(h, TestWindows.mix("n2", i, usual(i)));
            }
            assertEquals(1, h.numKeyedStateEntries());
            assertEquals(1, h.numEventTimeTimers());
            h.processWatermark(8 * TestWindows.WINDOW_MILLIS + D.keyIdleMillis());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void totalVariationIsHalfTheL1DistanceOfTheShares() {
        assertEquals(0.0, TypeMixShiftDetector.totalVariation(Map.of("A", 0.5, "B", 0.5), Map.of("B", 0.5, "A", 0.5)));
        assertEquals(1.0, TypeMixShiftDetector.totalVariation(Map.of("A", 1.0), Map.of("B", 1.0)), 1e-12);
        assertEquals(0.3, TypeMixShiftDetector.totalVariation(Map.of("A", 0.7, "B", 0.3), Map.of("A", 0.4, "B", 0.6)),
                1e-12);
    }
}
