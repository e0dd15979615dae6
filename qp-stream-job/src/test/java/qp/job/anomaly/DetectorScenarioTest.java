package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.Harnesses;
import qp.job.windows.FrameStatsAggregate;
import qp.job.windows.StatsAccumulator;
import qp.job.windows.WindowStatsFunctions;
import qp.protocol.analytics.Anomaly;
import qp.protocol.analytics.AnomalyKind;
import qp.protocol.analytics.WindowStats;
import qp.protocol.analytics.WindowView;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * Twenty minutes of generated traffic of two nodes (log-normal latencies per type, 1% errors, a steady type mix)
 * with injected latency spikes, single slow frames, error bursts and type-mix shifts, run through all four detectors
 * with their default settings. Every injected incident must be found, by one anomaly, with no false alarm.
 */
class DetectorScenarioTest {
    static final int WINDOWS = 120;
    static final long W = 10_000;
    static final String[] TYPES = {"COMMAND", "ACK", "DATA", "HEARTBEAT"};
    static final double[] SHARES = {0.3, 0.3, 0.3, 0.1};
    static final double[] MEDIAN_MICROS = {800, 1200, 2000, 300};
    static final AnalyticsSettings.Detectors D = AnalyticsSettings.Detectors.defaults();

    /** An injected incident: windows from..to inclusive; type null for node-wide ones; factor its size. */
    record Incident(AnomalyKind kind, String node, String type, int from, int to, double factor) {
        boolean activeAt(String n, int w) {
            return node.equals(n) && w >= from && w <= to;
        }

        boolean explains(Anomaly a) {
            boolean sameKind = a.kind() == kind
                    // the frames of a slow window are slow frames too
                    || (kind == AnomalyKind.LATENCY_SPIKE && a.kind() == AnomalyKind.FRAME_LATENCY_SPIKE);
            boolean nodeWide = type == null || kind == AnomalyKind.TYPE_MIX_SHIFT; // type = the type that grew
            return sameKind && node.equals(a.nodeId()) && (nodeWide || type.equals(a.type()))
                    && a.windowStartMillis() >= from * W && a.windowStartMillis() < (to + 1) * W;
        }
    }

    static final List<Incident> INCIDENTS = List.of(
            new Incident(AnomalyKind.LATENCY_SPIKE, "n1", "COMMAND", 30, 32, 4),
            new Incident(AnomalyKind.LATENCY_SPIKE, "n2", "DATA", 60, 60, 4),
            new Incident(AnomalyKind.LATENCY_SPIKE, "n1", "ACK", 90, 91, 3),
            new Incident(AnomalyKind.LATENCY_SPIKE, "n2", "COMMAND", 105, 105, 4),
            new Incident(AnomalyKind.ERROR_BURST, "n1", null, 45, 46, 0.25),
            new Incident(AnomalyKind.ERROR_BURST, "n2", null, 75, 75, 0.30),
            new Incident(AnomalyKind.ERROR_BURST, "n1", null, 110, 110, 0.20),
            new Incident(AnomalyKind.TYPE_MIX_SHIFT, "n2", "DATA", 40, 42, 0.75),
            new Incident(AnomalyKind.TYPE_MIX_SHIFT, "n1", "HEARTBEAT", 80, 81, 0.6),
            new Incident(AnomalyKind.FRAME_LATENCY_SPIKE, "n1", "DATA", 20, 20, 100),
            new Incident(AnomalyKind.FRAME_LATENCY_SPIKE, "n2", "ACK", 50, 50, 100),
            new Incident(AnomalyKind.FRAME_LATENCY_SPIKE, "n1", "COMMAND", 70, 70, 100),
            new Incident(AnomalyKind.FRAME_LATENCY_SPIKE, "n2", "HEARTBEAT", 100, 100, 100));

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4242, 1, 2, 3})
    void everyInjectedIncidentIsFoundOnceWithFewFalseAlarms(long seed) throws Exception {
        var latency = Harnesses.keyed(new LatencySpikeDetector(D), (WindowStats w) -> Tuple2.of(w.nodeId(), w.type()),
                LatencySpikeDetectorTest.NODE_TYPE);
        var frames = Harnesses.keyed(new FrameLatencySpikeDetector(D),
                (FrameEvent f) -> Tuple2.of(f.nodeId(), f.type()), LatencySpikeDetectorTest.NODE_TYPE);
        var errors = Harnesses.keyed(new ErrorBurstDetector(D), WindowStats::nodeId, Types.STRING);
        var mix = Harnesses.keyed(new TypeMixShiftDetector(D), WindowStats::nodeId, Types.STRING);
        Random rnd = new Random(seed);
        long frameCount = 0;
        for (int w = 0; w < WINDOWS; w++) {
            for (String node : List.of("n1", "n2")) {
                frameCount += window(node, w, rnd, latency, frames, errors, mix);
            }
            for (var h : List.of(latency, errors, mix)) {
                h.processWatermark((w + 1) * W - 1);
            }
            frames.processWatermark((w + 1) * W - 1);
        }
        List<Anomaly> anomalies = new ArrayList<>();
        for (var h : List.of(latency, errors, mix)) {
            anomalies.addAll(h.extractOutputValues());
        }
        anomalies.addAll(frames.extractOutputValues());

        List<Anomaly> falseAlarms = anomalies.stream()
                .filter(a -> INCIDENTS.stream().noneMatch(i -> i.explains(a))).toList();
        StringBuilder summary = new StringBuilder();
        for (Incident i : INCIDENTS) {
            long raised = anomalies.stream().filter(a -> a.kind() == i.kind() && i.explains(a)).count();
            long frameSpikes = i.kind() != AnomalyKind.LATENCY_SPIKE ? 0 : anomalies.stream()
                    .filter(a -> a.kind() == AnomalyKind.FRAME_LATENCY_SPIKE && i.explains(a)).count();
            summary.append(String.format("%s %s %s windows %d-%d: %d anomaly(ies), %d frame-level spike(s)%n", i.kind(),
                    i.node(), i.type() == null ? "*" : i.type(), i.from(), i.to(), raised, frameSpikes));
            assertTrue(raised >= 1, "not found: " + i);
            assertEquals(1, raised, "hysteresis: one incident, one anomaly: " + i);
            assertTrue(frameSpikes <= 1, "a slow window's frames count as one frame-level spike at most (the frame"
                    + " detector's cool-down), " + frameSpikes + " for " + i);
        }
        System.out.printf("seed %d: %d frames, %d windows per node: %d anomalies, %d false alarms%n%s", seed, frameCount, WINDOWS,
                anomalies.size(), falseAlarms.size(), summary);
        assertEquals(List.of(), falseAlarms, "false alarms (measured: none for seeds 4242, 1, 2, 3)");
        // A latency incident may also show as a frame-level spike in its windows (measured: exactly one per latency
        // incident, seeds 4242, 1, 2, 3: its slowest frames are 3-4x the usual ones); more means alarms multiplied.
        long latencyIncidents = INCIDENTS.stream().filter(i -> i.kind() == AnomalyKind.LATENCY_SPIKE).count();
        assertTrue(anomalies.size() <= INCIDENTS.size() + latencyIncidents,
                anomalies.size() + " anomalies for " + INCIDENTS.size() + " incidents");
        for (var h : List.of(latency, errors, mix)) {
            h.close();
        }
        frames.close();
    }

    private static long window(String node, int w, Random rnd,
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, WindowStats, Anomaly> latency,
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, FrameEvent, Anomaly> frameDetector,
            KeyedOneInputStreamOperatorTestHarness<String, WindowStats, Anomaly> errors,
            KeyedOneInputStreamOperatorTestHarness<String, WindowStats, Anomaly> mix) throws Exception {
        double[] shares = SHARES.clone();
        double errorRate = 0.01;
        double[] slowdown = {1, 1, 1, 1};
        Incident slowFrame = null;
        for (Incident i : INCIDENTS) {
            if (!i.activeAt(node, w)) {
                continue;
            }
            switch (i.kind()) {
                case LATENCY_SPIKE -> slowdown[index(i.type())] = i.factor();
                case ERROR_BURST -> errorRate = i.factor();
                case TYPE_MIX_SHIFT -> shares = shifted(index(i.type()), i.factor());
                case FRAME_LATENCY_SPIKE -> slowFrame = i;
                default -> throw new IllegalStateException(i.toString());
            }
        }
        AggregateFunction<FrameEvent, StatsAccumulator, StatsAccumulator> byType =
                new FrameStatsAggregate(0.005, false);
        AggregateFunction<FrameEvent, StatsAccumulator, StatsAccumulator> byNode = new FrameStatsAggregate(0.005, true);
        Map<String, StatsAccumulator> typeAccs = new HashMap<>();
        StatsAccumulator nodeAcc = byNode.createAccumulator();
        int n = 800 + rnd.nextInt(200);
        List<FrameEvent> frames = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            int t = pick(shares, rnd.nextDouble());
            long micros = Math.max(1, Math.round(MEDIAN_MICROS[t] * slowdown[t] * Math.exp(0.35 * rnd.nextGaussian())));
            frames.add(frame(node, j, TYPES[t], w * W + j * W / n, micros,
                    rnd.nextDouble() < errorRate ? "BAD_FRAME" : FrameEvent.OK));
        }
        if (slowFrame != null) {
            int t = index(slowFrame.type());
            frames.add(frame(node, n, TYPES[t], w * W + W / 2, (long) (MEDIAN_MICROS[t] * slowFrame.factor()),
                    FrameEvent.OK));
        }
        for (FrameEvent f : frames) {
            byType.add(f, typeAccs.computeIfAbsent(f.type(), k -> byType.createAccumulator()));
            byNode.add(f, nodeAcc);
            frameDetector.processElement(f, f.eventTimeMillis());
        }
        TimeWindow window = new TimeWindow(w * W, (w + 1) * W);
        for (Map.Entry<String, StatsAccumulator> e : typeAccs.entrySet()) {
            WindowStats s = WindowStatsFunctions.toStats(node, e.getKey(), WindowView.TUMBLING, window, e.getValue());
            latency.processElement(s, window.maxTimestamp());
        }
        WindowStats all = WindowStatsFunctions.toStats(node, WindowStats.ALL_TYPES, WindowView.TUMBLING, window,
                nodeAcc);
        errors.processElement(all, window.maxTimestamp());
        mix.processElement(all, window.maxTimestamp());
        return frames.size();
    }

    private static FrameEvent frame(String node, int j, String type, long t, long micros, String outcome) {
        return new FrameEvent(node, "c" + (j % 20), j, "s", type, null, Direction.IN, 207, 200, false, micros,
                outcome, 1, t);
    }

    private static double[] shifted(int type, double share) {
        double[] s = new double[SHARES.length];
        double rest = 1 - SHARES[type];
        for (int i = 0; i < s.length; i++) {
            s[i] = i == type ? share : SHARES[i] / rest * (1 - share);
        }
        return s;
    }

    private static int pick(double[] shares, double u) {
        double c = 0;
        for (int i = 0; i < shares.length; i++) {
            c += shares[i];
            if (u < c) {
                return i;
            }
        }
        return shares.length - 1;
    }

    private static int index(String type) {
        return List.of(TYPES).indexOf(type);
    }
}
