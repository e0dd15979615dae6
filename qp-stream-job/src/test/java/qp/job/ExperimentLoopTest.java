package qp.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import qp.job.config.JobOptions;
import qp.protocol.analytics.Recommendation;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.experiments.PayloadBand;
import qp.protocol.params.TunableParameter;
import qp.testsupport.kafka.EmbeddedKafka;

/**
 * Issue 18's loop on real parts: real QP sessions through a real gateway, its frame events through Kafka into this
 * job on a MiniCluster, the per-arm windows into the agent, and the agent's experiment on the gateway's admin API.
 * Each test's oracle is computed here from data the test made (frame events read back from Kafka, window rows), not
 * from the agent's own figures.
 */
class ExperimentLoopTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

    @TempDir
    Path dir;

    static String id() {
        return "loop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Map<String, Object> awaitEnded(LoopRig rig, Recommendation r, Duration atMost) {
        return await("the experiment of " + r.id() + " ends").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> rig.row("SELECT * FROM experiments WHERE recommendation_id = '" + r.id() + "'"),
                        row -> row != null && "ended".equals(row.get("status")));
    }

    void awaitRunning(LoopRig rig, Recommendation r) {
        await("the experiment of " + r.id() + " runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> rig.row("SELECT status FROM experiments WHERE recommendation_id = '" + r.id() + "'"),
                        row -> row != null && "running".equals(row.get("status")));
    }

    /**
     * (a) With compressible payloads, compression off -> 1024 is kept, and the effect the agent reports lies within its
     * interval of the effect computed here from the frame events of each arm over the windows it judged.
     */
    @Test
    void compressionOnCompressiblePayloadsIsKeptAndTheReportedEffectMatchesTheFrames() throws Exception {
        try (LoopRig rig = new LoopRig(KAFKA, dir, id(), Map.of());
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 24, 40,
                     EchoSessions.text(2_000, 8_000))) {
            // this test checks the estimate; the latency guard has its own test below. On a shared 2-core machine
            // the p99 of a 1 s window is mostly scheduling, and compressing is more CPU per reply: a guard at its
            // defaults may stop this (seen: treatment p99 15 ms against 4 ms at load average 4)
            rig.startAgent(Map.of("experiment-share", "0.5", "guard-p99-increase", "4", "guard-p99-min", "100ms"));
            Recommendation r = LoopRig.recommendation("compression_threshold", 0, 1024, rig.gateway.params().version(),
                    "bytes", System.currentTimeMillis());
            rig.recommend(r);
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(120));
            assertThat(load.failures).isEmpty();

            assertThat(e.get("verdict")).as(String.valueOf(e.get("sentence"))).isEqualTo("kept");
            assertThat(rig.gateway.params().current().experiment()).isNull();
            assertThat(rig.gateway.params().params().compressionThresholdBytes()).as("adopted").isEqualTo(1024);

            long from = ceilToWindow((Long) e.get("gateway_started_ms") + 2_000, 1_000);
            long until = ((Number) e.get("judged_until_ms")).longValue();
            double direct = stratifiedEffect(rig.framesOf((String) e.get("id")), from, until);
            double low = ((Number) e.get("interval_low")).doubleValue();
            double high = ((Number) e.get("interval_high")).doubleValue();
            assertThat(direct).as("from the frame events; the agent said %s", e.get("sentence")).isBetween(low, high);
            assertThat(direct).isLessThan(-0.3);
        }
    }

    /**
     * (b) A change with no real effect (both thresholds above every payload) while the load doubles and the payloads
     * shrink halfway: the experiment ends no_effect, and the old before/after comparison of the node's windows would
     * have kept it (bytes per frame fell by more than the 15% it asked for).
     */
    @Test
    void aChangeWithNoRealEffectEndsNoEffectWhereBeforeAfterWouldHaveKeptIt() throws Exception {
        try (LoopRig rig = new LoopRig(KAFKA, dir, id(), Map.of(TunableParameter.COMPRESSION_THRESHOLD, 4096L));
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 20, 60,
                     EchoSessions.text(1_500, 3_000))) {
            rig.startAgent(Map.of("experiment-max-duration", "24s", "experiment-share", "0.5"));
            Thread.sleep(6_000); // windows before the change, for the before/after figure
            long version = rig.gateway.params().version();
            Recommendation r = LoopRig.recommendation("compression_threshold", 4096, 8192, version, "bytes",
                    System.currentTimeMillis());
            rig.recommend(r);
            awaitRunning(rig, r);
            long startedAt = System.currentTimeMillis();
            Thread.sleep(10_000);
            load.shift(EchoSessions.text(300, 900), 30); // twice the rate, smaller payloads
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(90));
            long endedAt = System.currentTimeMillis();
            assertThat(load.failures).isEmpty();

            assertThat(e.get("verdict")).as(String.valueOf(e.get("sentence"))).isEqualTo("no_effect");
            assertThat(rig.gateway.params().params().compressionThresholdBytes()).as("back on control").isEqualTo(4096);

            // what the verifier before experiments did: 3 windows before the change against the last 3 of it
            List<WindowStats> node = rig.job.readCommitted(JobOptions.WINDOW_STATS_TOPIC, WindowStats.class).stream()
                    .filter(w -> w.isAllTypes() && w.nodeId().equals(LoopRig.NODE))
                    .sorted(java.util.Comparator.comparingLong(WindowStats::windowStartMillis)).toList();
            List<WindowStats> before = node.stream().filter(w -> w.windowEndMillis() <= startedAt).toList();
            List<WindowStats> after = node.stream().filter(w -> w.windowEndMillis() <= endedAt).toList();
            double b = bytesPerFrame(before.subList(before.size() - 3, before.size()));
            double a = bytesPerFrame(after.subList(after.size() - 3, after.size()));
            double observed = (b - a) / b;
            assertThat(observed).as("before/after: %.0f -> %.0f bytes per frame", b, a)
                    .isGreaterThanOrEqualTo(0.5 * 0.3); // it met half the expected 30%: the old verifier kept it
        }
    }

    /**
     * (c) and (e): compression on large, poorly compressible payloads costs the treatment sessions milliseconds of
     * zlib per reply: the latency guard stops the experiment at the first window it can judge, only treatment
     * sessions saw compressed frames; a repeat of the change is then rejected as already tried.
     */
    @Test
    void aHarmfulChangeIsStoppedByItsGuardAndNotTriedAgain() throws Exception {
        try (LoopRig rig = new LoopRig(KAFKA, dir, id(), Map.of());
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 16, 30,
                     EchoSessions.random(160_000))) {
            rig.startAgent(Map.of("experiment-share", "0.5", "guard-min-samples", "20"));
            Recommendation r = LoopRig.recommendation("compression_threshold", 0, 1024, rig.gateway.params().version(),
                    "bytes", System.currentTimeMillis());
            rig.recommend(r);
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(90));
            assertThat(load.failures).isEmpty();
            assertThat(e.get("verdict")).as(String.valueOf(e.get("sentence"))).isEqualTo("guard");
            assertThat((String) e.get("sentence")).contains("guard latency_p99 broke");
            assertThat(rig.gateway.params().params().compressionThresholdBytes()).isZero();

            List<FrameEvent> frames = rig.framesOf((String) e.get("id"));
            assertThat(frames).filteredOn(f -> f.compressed() && f.direction() == Direction.OUT)
                    .as("compressed replies").isNotEmpty()
                    .allSatisfy(f -> assertThat(f.arm()).isEqualTo("treatment"));
            assertThat(frames).filteredOn(f -> "control".equals(f.arm()) && f.direction() == Direction.OUT)
                    .isNotEmpty().noneMatch(FrameEvent::compressed);

            Recommendation again = LoopRig.recommendation("compression_threshold", 0, 4096,
                    rig.gateway.params().version(), "bytes", System.currentTimeMillis());
            rig.recommend(again);
            Map<String, Object> o = await().atMost(Duration.ofSeconds(30)).until(() -> rig.row(
                    "SELECT status, gate, reason FROM optimizations WHERE recommendation_id = '" + again.id() + "'"),
                    row -> row != null && !"pending".equals(row.get("status")));
            assertThat(o.get("gate")).as(String.valueOf(o.get("reason"))).isEqualTo("already_tried");
        }
    }

    /**
     * (d) The agent, a process of its own, is killed with SIGKILL while its experiment runs; restarted, it carries the
     * experiment to its verdict: one start and one end on the gateway, no arm left behind.
     */
    @Test
    void anAgentKilledMidExperimentFinishesItAfterRestartWithoutApplyingTwice() throws Exception {
        try (LoopRig rig = new LoopRig(KAFKA, dir, id(), Map.of());
             EchoSessions load = new EchoSessions(rig.qpUri(), LoopRig.CLIENT_TOKEN, 20, 40,
                     EchoSessions.text(2_000, 8_000))) {
            Map<String, String> options = Map.of("experiment-share", "0.5", "experiment-min-duration", "12s",
                    "guard-p99-increase", "4", "guard-p99-min", "100ms"); // as in the first test: the kill is the point
            Process first = rig.startAgentProcess(options);
            long base = rig.gateway.params().version();
            Recommendation r = LoopRig.recommendation("compression_threshold", 0, 1024, base, "bytes",
                    System.currentTimeMillis());
            rig.recommend(r);
            awaitRunning(rig, r);
            Thread.sleep(3_000);
            first.destroyForcibly(); // SIGKILL
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(137);
            assertThat(rig.gateway.params().current().experiment()).as("the gateway keeps running it").isNotNull();

            Process second = rig.startAgentProcess(options);
            Map<String, Object> e = awaitEnded(rig, r, Duration.ofSeconds(120));
            assertThat(load.failures).isEmpty();
            assertThat(e.get("verdict")).as(String.valueOf(e.get("sentence"))).isEqualTo("kept");
            assertThat(rig.gateway.params().current().experiment()).as("no arm left").isNull();
            assertThat(rig.gateway.params().params().compressionThresholdBytes()).isEqualTo(1024);
            assertThat(rig.gateway.params().version()).as("one start and one end").isEqualTo(base + 2);
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
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
