package qp.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import qp.protocol.analytics.Recommendation;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.broker.EmbeddedKafka;

/**
 * Issue 18's loop on real parts: real QP sessions through a real gateway, its frame events through Kafka into this
 * job on a MiniCluster, the per-arm windows into the agent, and the agent's experiment on the gateway's admin API.
 * Each test's oracle is computed here from data the test made (frame events read back from Kafka, window rows), not
 * from the agent's own figures.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // 32 s at most on a quiet machine, 70-180 s a test on this shared one
class ExperimentLoopTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    static final EmbeddedKafka KAFKA = EmbeddedKafka.shared();

    @TempDir
    Path dir;

    static String id() {
        return LoopScenarios.id();
    }

    static Map<String, Object> awaitEnded(LoopRig rig, Recommendation r, Duration atMost) {
        return LoopScenarios.awaitEnded(rig, r, atMost);
    }

    static void awaitRunning(LoopRig rig, Recommendation r) {
        LoopScenarios.awaitRunning(rig, r);
    }

    /**
     * (a) With compressible payloads, compression off -> 1024 is kept, and the effect the agent reports lies within its
     * interval of the effect computed by the test from the frame events of each arm over the windows it judged.
     */
    @Test
    void compressionOnCompressiblePayloadsIsKeptAndTheReportedEffectMatchesTheFrames() throws Exception {
        LoopScenarios.Compressible run = LoopScenarios.compressible(KAFKA, dir);
        assertThat(run.failures()).isEmpty();
        assertThat(run.verdict()).as(run.sentence()).isEqualTo("kept");
        assertThat(run.adoptedThreshold()).as("adopted").isEqualTo(1024);
        assertThat(run.direct()).as("from the frame events; the agent said %s", run.sentence())
                .isBetween(run.low(), run.high());
        assertThat(run.direct()).isLessThan(-0.3);
    }

    /**
     * (b) A change with no real effect (both thresholds above every payload) while the load doubles and the payloads
     * shrink halfway: the experiment ends no_effect, and the old before/after comparison of the node's windows would
     * have kept it (bytes per frame fell by more than the 15% it asked for).
     */
    @Test
    void aChangeWithNoRealEffectEndsNoEffectWhereBeforeAfterWouldHaveKeptIt() throws Exception {
        LoopScenarios.NoEffect run = LoopScenarios.noEffectUnderShift(KAFKA, dir);
        assertThat(run.failures()).isEmpty();
        assertThat(run.verdict()).as(run.sentence()).isEqualTo("no_effect");
        assertThat(run.thresholdAfter()).as("back on control").isEqualTo(4096);
        assertThat(run.beforeAfterImprovement()).as("before/after: %.0f -> %.0f bytes per frame", run.bytesBefore(),
                run.bytesAfter()).isGreaterThanOrEqualTo(0.5 * 0.3); // it met half the expected 30%: kept by the old verifier
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

}
