package qp.job;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import qp.job.config.JobOptions;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.experiments.PayloadBand;
import qp.protocol.params.TunableParameter;
import qp.broker.EmbeddedKafka;

/**
 * Issue 18's scenarios (a) and (b) on a {@link LoopRig}, each returning what happened and the figures the caller's
 * oracle needs, computed from data the run made (frame events, window rows): shared by {@link ExperimentLoopTest},
 * which asserts on one run, and {@link ExperimentVerdictRuns}, which counts verdicts over many.
 */
final class LoopScenarios {
    private LoopScenarios() {
    }

    static String id() {
        return "loop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** (a)'s run: the verdict and its interval, and the effect computed from the arms' frame events. */
    record Compressible(String verdict, String sentence, double low, double high, double direct, long adoptedThreshold,
            List<String> failures) {
    }

    /** (b)'s run: the verdict, and what the before/after comparison of the node's windows shows. */
    record NoEffect(String verdict, String sentence, long thresholdAfter, double bytesBefore, double bytesAfter,
            List<String> failures) {
        double beforeAfterImprovement() {
            return (bytesBefore - bytesAfter) / bytesBefore;
        }
    }

    static Compressible compressible(EmbeddedKafka kafka, Path dir) throws Exception {
        try (LoopRig rig = new LoopRig(kafka, dir, id(), Map.of());
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 24, 40,
                     EchoSessions.text(2_000, 8_000))) {
            // this scenario checks the estimate; the latency guard has its own test. On a shared 2-core machine the
            // p99 of a 1 s window is mostly scheduling, and compressing is more CPU per reply: a guard at its defaults
            // may stop this (seen: treatment p99 15 ms against 4 ms at load average 4)
            rig.startAgent(Map.of("experiment-share", "0.5", "guard-p99-increase", "4", "guard-p99-min", "100ms"));
            Recommendation r = LoopRig.recommendation("compression_threshold", 0, 1024, rig.gateway.params().version(),
                    "bytes", System.currentTimeMillis());
            rig.recommend(r);
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(120));
            long from = ceilToWindow((Long) e.get("gateway_started_ms") + 2_000, 1_000);
            long until = ((Number) e.get("judged_until_ms")).longValue();
            double direct = stratifiedEffect(rig.framesOf((String) e.get("id")), from, until);
            return new Compressible((String) e.get("verdict"), (String) e.get("sentence"), number(e, "interval_low"),
                    number(e, "interval_high"), direct, rig.gateway.params().params().compressionThresholdBytes(),
                    List.copyOf(load.failures));
        }
    }

    static NoEffect noEffectUnderShift(EmbeddedKafka kafka, Path dir) throws Exception {
        try (LoopRig rig = new LoopRig(kafka, dir, id(), Map.of(TunableParameter.COMPRESSION_THRESHOLD, 4096L));
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 20, 60,
                     EchoSessions.text(1_500, 3_000))) {
            rig.startAgent(Map.of("experiment-max-duration", "24s", "experiment-share", "0.5"));
            Thread.sleep(6_000); // windows before the change, for the before/after figure
            Recommendation r = LoopRig.recommendation("compression_threshold", 4096, 8192,
                    rig.gateway.params().version(), "bytes", System.currentTimeMillis());
            rig.recommend(r);
            awaitRunning(rig, r);
            long startedAt = System.currentTimeMillis();
            Thread.sleep(10_000);
            load.shift(EchoSessions.text(300, 900), 30); // twice the rate, smaller payloads
            long shiftedAt = System.currentTimeMillis();
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(90));
            while (System.currentTimeMillis() < shiftedAt + 8_000) {
                Thread.sleep(200); // the before/after figure needs windows after the shift, whenever the verdict came
            }
            long endedAt = System.currentTimeMillis() - 2_000; // windows the job has closed by now
            // what the verifier before experiments did: 3 windows before the change against the last 3 of it
            List<WindowStats> node = rig.job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class).stream()
                    .filter(w -> w.isAllTypes() && w.nodeId().equals(LoopRig.NODE))
                    .sorted(Comparator.comparingLong(WindowStats::windowStartMillis)).toList();
            List<WindowStats> before = node.stream().filter(w -> w.windowEndMillis() <= startedAt).toList();
            List<WindowStats> after = node.stream().filter(w -> w.windowEndMillis() <= endedAt).toList();
            return new NoEffect((String) e.get("verdict"), (String) e.get("sentence"),
                    rig.gateway.params().params().compressionThresholdBytes(),
                    bytesPerFrame(before.subList(before.size() - 3, before.size())),
                    bytesPerFrame(after.subList(after.size() - 3, after.size())), List.copyOf(load.failures));
        }
    }

    static Map<String, Object> awaitEnded(LoopRig rig, Recommendation r, Duration atMost) {
        return await("the experiment of " + r.id() + " ends").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> rig.row("SELECT * FROM experiments WHERE recommendation_id = '" + r.id() + "'"),
                        row -> row != null && "ended".equals(row.get("status")));
    }

    static void awaitRunning(LoopRig rig, Recommendation r) {
        await("the experiment of " + r.id() + " runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> rig.row("SELECT status FROM experiments WHERE recommendation_id = '" + r.id() + "'"),
                        row -> row != null && "running".equals(row.get("status")));
    }

    private static double number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    static long ceilToWindow(long t, long window) {
        return (t + window - 1) / window * window;
    }

    /**
     * Outgoing wire bytes per raw byte, treatment against control, computed from frame events: per stratum (type and
     * payload band) the ratio of the sums, strata weighted by their raw bytes in both arms.
     */
    static double stratifiedEffect(List<FrameEvent> frames, long fromMs, long untilMs) {
        Map<String, double[]> sums = new HashMap<>(); // stratum -> {wireC, rawC, wireT, rawT}
        for (FrameEvent f : frames) {
            if (f.direction() != Direction.OUT || f.rawBytes() == 0 || f.eventTimeMillis() < fromMs
                    || f.eventTimeMillis() >= untilMs || f.bucket() == null) {
                continue;
            }
            String stratum = f.type() + "|" + PayloadBand.of(f.rawBytes()).wire();
            double[] s = sums.computeIfAbsent(stratum, k -> new double[4]);
            int at = "treatment".equals(f.arm()) ? 2 : 0;
            s[at] += f.wireBytes();
            s[at + 1] += f.rawBytes();
        }
        double c = 0;
        double t = 0;
        double w = 0;
        for (double[] s : sums.values()) {
            if (s[1] > 0 && s[3] > 0) {
                double weight = s[1] + s[3];
                c += weight * s[0] / s[1];
                t += weight * s[2] / s[3];
                w += weight;
            }
        }
        return (t / w) / (c / w) - 1;
    }

    static double bytesPerFrame(List<WindowStats> ws) {
        return (double) ws.stream().mapToLong(WindowStats::bytes).sum() / ws.stream().mapToLong(WindowStats::count).sum();
    }
}
