package qp.job.trends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.analytics.TestWindows;
import qp.protocol.analytics.TrendReport;
import qp.protocol.analytics.WindowStats;

class TrendFunctionTest {
    static final long IDLE = 600_000;

    static KeyedOneInputStreamOperatorTestHarness<String, WindowStats, TrendReport> harness(int windows)
            throws Exception {
        return Harnesses.keyed(new TrendFunction(new AnalyticsSettings.Trends(windows, 0.02), IDLE),
                WindowStats::nodeId, Types.STRING);
    }

    static WindowStats window(int i, long count, double p95) {
        return TestWindows.row("n1", WindowStats.ALL_TYPES, i, count, 0, count, p95, 100 + i, 400, 500, Map.of());
    }

    @Test
    void slopesOfALinearRiseAreExactAndClassified() throws Exception {
        try (var h = harness(4)) {
            for (int i = 0; i < 6; i++) { // throughput 10, 20, ... frames/s; p95 falls 100 µs per window
                WindowStats w = window(i, (i + 1) * 100L, 5000 - 100 * i);
                h.processElement(w, w.windowEndMillis() - 1);
            }
            List<TrendReport> out = h.extractOutputValues();
            assertEquals(4, out.size(), "from the third window on");
            TrendReport last = out.get(3);
            assertEquals(4, last.windows(), "only the last 4 windows");
            assertEquals(20_000, last.fromMillis());
            assertEquals(60_000, last.toMillis());
            assertEquals(60.0, last.throughputSlopePerMin(), 1e-9, "+10 frames/s per 10 s window");
            assertEquals(TrendReport.Trend.RISING, last.throughputTrend());
            assertEquals(-600.0, last.latencyP95SlopeMicrosPerMin(), 1e-9);
            assertEquals(TrendReport.Trend.FALLING, last.latencyTrend());
            assertEquals(60, last.throughputPerSec(), 1e-9);
            assertEquals(4500, last.latencyP95Micros(), 1e-9);
            // frame-weighted mean payload over windows 2..5: Σ(100+i)(i+1)·100 / Σ(i+1)·100
            assertEquals((102 * 3 + 103 * 4 + 104 * 5 + 105 * 6) / 18.0, last.payloadMeanBytes(), 1e-9);
            // TestWindows puts half of each window's frames in 64-255 and the rest in 256-1023
            assertEquals(150 + 200 + 250 + 300L, last.payloadSizeHistogram().get("64-255"));
            assertEquals(150 + 200 + 250 + 300L, last.payloadSizeHistogram().get("256-1023"));
        }
    }

    @Test
    void aSteadyNodeIsFlatAndASilentOneIsForgotten() throws Exception {
        try (var h = harness(12)) {
            for (int i = 0; i < 5; i++) {
                WindowStats w = window(i, 1000 + (i % 2) * 5, 2000);
                h.processElement(w, w.windowEndMillis() - 1);
            }
            TrendReport last = h.extractOutputValues().get(2);
            assertEquals(TrendReport.Trend.FLAT, last.throughputTrend());
            assertEquals(TrendReport.Trend.FLAT, last.latencyTrend());
            assertEquals(1, h.numKeyedStateEntries());
            assertEquals(1, h.numEventTimeTimers());
            h.processWatermark(5 * TestWindows.WINDOW_MILLIS + IDLE);
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
