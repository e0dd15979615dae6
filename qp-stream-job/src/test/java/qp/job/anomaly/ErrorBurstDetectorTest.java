package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestWindows;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.WindowStats;

class ErrorBurstDetectorTest {
    static final AnalyticsSettings.Detectors D = AnalyticsSettings.Detectors.defaults();

    static KeyedOneInputStreamOperatorTestHarness<String, WindowStats, Anomaly> harness() throws Exception {
        return Harnesses.keyed(new ErrorBurstDetector(D), WindowStats::nodeId, Types.STRING);
    }

    @Test
    void aBurstOfErrorsIsAnAnomalyButAFewErrorsInASmallWindowAreNot() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                LatencySpikeDetectorTest.feed(h, TestWindows.errors("n1", i, 1000, 8 + i % 5));
            }
            LatencySpikeDetectorTest.feed(h, TestWindows.errors("n1", 10, 40, 4)); // 10% but only 4 errors
            assertTrue(h.extractOutputValues().isEmpty());
            LatencySpikeDetectorTest.feed(h, TestWindows.errors("n1", 11, 1000, 250));
            LatencySpikeDetectorTest.feed(h, TestWindows.errors("n1", 12, 1000, 300)); // same incident
            List<Anomaly> out = h.extractOutputValues();
            assertEquals(1, out.size(), out.toString());
            Anomaly a = out.get(0);
            assertEquals(AnomalyKind.ERROR_BURST, a.kind());
            assertEquals(WindowStats.ALL_TYPES, a.type());
            assertEquals(0.25, a.value(), 1e-9);
            assertEquals(0.015, a.mean(), 0.005, "about 1%, nudged up by the small 10% window (clipped at mean + 3σ)");
            assertTrue(a.value() > a.threshold() && a.threshold() > a.mean());
            assertTrue(a.detail().contains("250 of 1000 frames failed"), a.detail());
        }
    }

    @Test
    void perTypeRowsAreIgnoredAndSilentNodesForgotten() throws Exception {
        try (var h = harness()) {
            LatencySpikeDetectorTest.feed(h, TestWindows.latency("n1", "DATA", 0, 1000, 100));
            assertEquals(0, h.numKeyedStateEntries());
            LatencySpikeDetectorTest.feed(h, TestWindows.errors("n1", 0, 100, 1));
            assertEquals(1, h.numKeyedStateEntries());
            h.processWatermark(TestWindows.WINDOW_MILLIS + D.keyIdleMillis());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
