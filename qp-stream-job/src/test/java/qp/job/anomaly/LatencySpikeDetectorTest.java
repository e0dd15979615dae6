package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestWindows;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.Severity;
import qp.protocol.analytics.WindowStats;

class LatencySpikeDetectorTest {
    static final TypeInformation<Tuple2<String, String>> NODE_TYPE = Types.TUPLE(Types.STRING, Types.STRING);
    static final AnalyticsSettings.Detectors D = AnalyticsSettings.Detectors.defaults();

    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, WindowStats, Anomaly> harness()
            throws Exception {
        return Harnesses.keyed(new LatencySpikeDetector(D), w -> Tuple2.of(w.nodeId(), w.type()), NODE_TYPE);
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<?, WindowStats, Anomaly> h, WindowStats w)
            throws Exception {
        h.processElement(w, w.windowEndMillis() - 1);
        h.processWatermark(w.windowEndMillis() - 1);
    }

    /** Baseline p95 around 1000 µs with a little deterministic wobble. */
    static double normal(int i) {
        return 1000 + 40 * Math.sin(i * 1.7);
    }

    @Test
    void aSpikeAfterWarmUpIsOneAnomalyPerIncidentWithItsEvidence() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 20; i++) {
                feed(h, TestWindows.latency("n1", "COMMAND", i, normal(i), 500));
            }
            assertTrue(h.extractOutputValues().isEmpty(), "no anomaly in normal traffic");
            for (int i = 20; i < 24; i++) { // one incident of four windows
                feed(h, TestWindows.latency("n1", "COMMAND", i, 3000, 500));
            }
            List<Anomaly> out = h.extractOutputValues();
            assertEquals(1, out.size(), "hysteresis: one incident, one anomaly: " + out);
            Anomaly a = out.get(0);
            assertEquals(AnomalyKind.LATENCY_SPIKE, a.kind());
            assertEquals("n1", a.nodeId());
            assertEquals("COMMAND", a.type());
            assertEquals(200_000, a.windowStartMillis());
            assertEquals(210_000, a.windowEndMillis());
            assertEquals(3000, a.value(), 1e-9);
            assertEquals(1000, a.mean(), 30);
            assertEquals(100, a.sigma(), 10, "σ floored at 10% of the mean: the history is nearly flat");
            assertEquals(a.mean() + 3 * a.sigma(), a.threshold(), 1e-9);
            assertEquals((a.value() - a.mean()) / a.sigma(), a.score(), 1e-9);
            assertEquals(Severity.CRITICAL, a.severity());
            assertTrue(a.detail().contains("p95 latency 3000 us"), a.detail());

            for (int i = 24; i < 30; i++) { // calm: the incident closes after 3 calm windows
                feed(h, TestWindows.latency("n1", "COMMAND", i, normal(i), 500));
            }
            feed(h, TestWindows.latency("n1", "COMMAND", 30, 3000, 500));
            assertEquals(2, h.extractOutputValues().size(), "a new incident after the calm windows");
        }
    }

    @Test
    void noVerdictDuringWarmUpAndWindowsWithFewSamplesOrAllTypesRowsAreNotJudged() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < D.warmupWindows(); i++) {
                feed(h, TestWindows.latency("n1", "DATA", i, i == 3 ? 50_000 : 1000, 500));
            }
            feed(h, TestWindows.latency("n2", "DATA", 0, 1000, D.minLatencySamples() - 1));
            feed(h, TestWindows.latency("n3", WindowStats.ALL_TYPES, 0, 1000, 500));
            assertTrue(h.extractOutputValues().isEmpty());
            assertEquals(1, h.numKeyedStateEntries(), "only n1/DATA was judged and has state");
        }
    }

    @Test
    void aWindowFiringAgainForLateDataIsNotJudgedTwice() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                feed(h, TestWindows.latency("n1", "ACK", i, normal(i), 500));
            }
            WindowStats spike = TestWindows.latency("n1", "ACK", 10, 5000, 500);
            feed(h, spike);
            h.processElement(spike, spike.windowEndMillis() - 1);
            for (int i = 11; i < 15; i++) { // calm, closes the incident
                feed(h, TestWindows.latency("n1", "ACK", i, normal(i), 500));
            }
            h.processElement(spike, spike.windowEndMillis() - 1); // the old window again, after the incident closed
            assertEquals(1, h.extractOutputValues().size());
        }
    }

    @Test
    void theStateOfASilentKeyIsDroppedByItsTimer() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                feed(h, TestWindows.latency("n1", "COMMAND", i, normal(i), 500));
                feed(h, TestWindows.latency("n1", "DATA", i, normal(i), 500));
            }
            feed(h, TestWindows.latency("n1", "DATA", 10, normal(10), 500));
            assertEquals(2, h.numKeyedStateEntries());
            assertEquals(2, h.numEventTimeTimers(), "one clean-up timer per key, moved, not piled up");
            long commandLast = 10 * TestWindows.WINDOW_MILLIS;
            h.processWatermark(commandLast + D.keyIdleMillis());
            assertEquals(1, h.numKeyedStateEntries(), "COMMAND went silent first");
            h.processWatermark(commandLast + TestWindows.WINDOW_MILLIS + D.keyIdleMillis());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
