package qp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.testing.AgentProcess;
import qp.agent.testing.AgentRig;
import qp.agent.testing.GatewayAdmin;
import qp.agent.testing.Scenario;
import qp.agent.testing.SimulatedArms;
import qp.protocol.analytics.Recommendation;

/**
 * The agent as a real process, SIGKILLed at each of its crash points (between a step saved in the store and the
 * request that makes it, and between the gateway's answer and the saving of it), then a new agent process on the same
 * SQLite file. What happened is read from the gateway's admin API and from the store, against what the test expects;
 * never from the agent's report.
 */
class AgentProcessCrashTest {
    static final int SIGKILLED = 128 + 9;

    @TempDir
    Path dir;
    AgentRig rig;
    GatewayAdmin gw;

    @BeforeEach
    void start() throws Exception {
        rig = new AgentRig(dir);
        gw = rig.admin;
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    /** Compression off -> 1024 B, computed on the gateway's version now (the gates pass it). */
    Recommendation compression() throws Exception {
        return Scenario.rec(AgentRig.NODE, "compression_threshold", 0, 1024, 0.9, 0.3, "bytes", gw.version(),
                System.currentTimeMillis());
    }

    /** Arms short enough to decide within the test: half the sessions in treatment from the start, 1 s minimum. */
    AgentProcess agent(String name, String crashPoint) throws Exception {
        return rig.agent(name, crashPoint, "--experiment-share", "0.5", "--experiment-ramp-share", "0.5",
                "--experiment-min-duration", "1s");
    }

    @Test
    void killedAfterRecordingTheStartBeforeThePostTheNextAgentPostsItOnce() throws Exception {
        long v0 = gw.version();
        Recommendation r = compression();
        String id = "x-" + r.id();
        AgentProcess first = agent("agent-1", "before-post");
        rig.publish(r);
        first.awaitCrashPoint("before-post", id);
        assertThat(rig.experiment(r, "status")).as("recorded before the request").isEqualTo("starting");
        assertThat(rig.optimization(r, "status")).isEqualTo("applying");
        assertThat(first.kill()).isEqualTo(SIGKILLED);
        assertThat(gw.experiment().status()).as("the POST never left").isEqualTo(404);
        assertThat(gw.version()).isEqualTo(v0);

        AgentProcess second = agent("agent-2", null);
        assertThat(rig.awaitStatusBeyond(r, Set.of("applying"))).isEqualTo("applied");
        GatewayAdmin.Answer running = gw.experiment();
        assertThat(running.status()).isEqualTo(200);
        JsonNode e = running.body().path("experiment");
        assertThat(e.path("id").asText()).isEqualTo(id);
        assertThat(e.path("parameter").asText()).isEqualTo("compression_threshold");
        assertThat(e.path("control").asLong(-1)).isZero();
        assertThat(e.path("treatment").asLong()).isEqualTo(1024);
        assertThat(gw.version()).as("one start: one version step").isEqualTo(v0 + 1);
        assertThat(gw.params().path("params").path("compression_threshold").asText()).as("the node stays on control")
                .isEqualTo("off");
        assertThat(rig.experiment(r, "status")).isEqualTo("running");
        assertThat(rig.experiment(r, "gateway_started_ms")).isEqualTo(e.path("startedAtMillis").asText());
        second.stop();
    }

    @Test
    void killedAfterThePostBeforeRecordingItTheNextAgentFindsItRunningAndDoesNotStartItAgain() throws Exception {
        long v0 = gw.version();
        Recommendation r = compression();
        String id = "x-" + r.id();
        AgentProcess first = agent("agent-1", "after-post");
        rig.publish(r);
        first.awaitCrashPoint("after-post", id);
        JsonNode started = gw.experiment().body().path("experiment");
        assertThat(started.path("id").asText()).as("the gateway runs it").isEqualTo(id);
        assertThat(rig.experiment(r, "status")).as("not recorded yet").isEqualTo("starting");
        assertThat(first.kill()).isEqualTo(SIGKILLED);

        AgentProcess second = agent("agent-2", null);
        assertThat(rig.awaitStatusBeyond(r, Set.of("applying"))).isEqualTo("applied");
        JsonNode e = gw.experiment().body().path("experiment");
        assertThat(e.path("id").asText()).isEqualTo(id);
        assertThat(e.path("startedAtMillis").asLong()).as("the same run, not a second start")
                .isEqualTo(started.path("startedAtMillis").asLong());
        assertThat(gw.version()).isEqualTo(v0 + 1);
        assertThat(rig.experiment(r, "status")).isEqualTo("running");
        assertThat(rig.experiment(r, "gateway_started_ms")).isEqualTo(started.path("startedAtMillis").asText());
        second.stop();
    }

    @Test
    void killedAfterRecordingTheVerdictBeforeTheDeleteTheNextAgentEndsItAndTheNodeAdoptsIt() throws Exception {
        Recommendation r = compression();
        String id = "x-" + r.id();
        AgentProcess first = agent("agent-1", "before-delete");
        rig.publish(r);
        clearGainWindows(r);
        first.awaitCrashPoint("before-delete", id);
        assertThat(rig.experiment(r, "status")).as("the verdict recorded before the request").isEqualTo("ending");
        assertThat(rig.experiment(r, "verdict")).isEqualTo("kept");
        long running = gw.version();
        assertThat(first.kill()).isEqualTo(SIGKILLED);
        assertThat(gw.experiment().status()).as("the DELETE never left").isEqualTo(200);

        AgentProcess second = agent("agent-2", null);
        assertThat(rig.awaitStatusBeyond(r, Set.of("applied"))).isEqualTo("verified");
        GatewayAdmin.Answer after = gw.experiment();
        assertThat(after.status()).as("ended on the gateway: " + after.body()).isEqualTo(404);
        assertThat(after.body().path("lastEnded").path("id").asText()).isEqualTo(id);
        assertThat(after.body().path("lastEnded").path("outcome").asText()).isEqualTo("adopt");
        JsonNode params = gw.params();
        assertThat(params.path("params").path("compression_threshold").asLong()).isEqualTo(1024);
        assertThat(params.path("version").asLong()).as("one end: one version step").isEqualTo(running + 1);
        assertThat(rig.experiment(r, "status")).isEqualTo("ended");
        assertThat(rig.experiment(r, "verdict")).isEqualTo("kept");
        second.stop();
    }

    @Test
    void killedAfterTheDeleteBeforeRecordingItTheNextAgentRecordsTheAdoptionWithoutAnotherChange() throws Exception {
        Recommendation r = compression();
        String id = "x-" + r.id();
        AgentProcess first = agent("agent-1", "after-delete");
        rig.publish(r);
        clearGainWindows(r);
        first.awaitCrashPoint("after-delete", id);
        assertThat(rig.experiment(r, "status")).as("not recorded yet").isEqualTo("ending");
        assertThat(gw.experiment().body().path("lastEnded").path("outcome").asText()).as("adopted on the gateway")
                .isEqualTo("adopt");
        long adopted = gw.version();
        assertThat(first.kill()).isEqualTo(SIGKILLED);

        AgentProcess second = agent("agent-2", null);
        assertThat(rig.awaitStatusBeyond(r, Set.of("applied"))).isEqualTo("verified");
        assertThat(rig.optimization(r, "reason")).endsWith("| kept: adopted on the whole node (clear gain at an early look)");
        assertThat(rig.experiment(r, "status")).isEqualTo("ended");
        assertThat(rig.experiment(r, "verdict")).isEqualTo("kept");
        GatewayAdmin.Answer after = gw.experiment();
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.body().path("lastEnded").path("id").asText()).isEqualTo(id);
        JsonNode params = gw.params();
        assertThat(params.path("params").path("compression_threshold").asLong()).isEqualTo(1024);
        assertThat(params.path("version").asLong()).as("nothing changed on the node after the kill").isEqualTo(adopted);
        second.stop();
    }

    /** Someone else moves the node while the agent is dead with a start recorded: the next agent gives up on it. */
    @Test
    void killedBeforeThePostWhileSomeoneElseChangedTheControlValueTheNextAgentRecordsFailedAndTouchesNothing()
            throws Exception {
        long v0 = gw.version();
        Recommendation r = compression();
        String id = "x-" + r.id();
        AgentProcess first = agent("agent-1", "before-post");
        rig.publish(r);
        first.awaitCrashPoint("before-post", id);
        assertThat(first.kill()).isEqualTo(SIGKILLED);
        assertThat(gw.putParam("compression_threshold", 4096, v0).status()).as("someone else's PUT").isEqualTo(200);

        AgentProcess second = agent("agent-2", null);
        assertThat(rig.awaitStatusBeyond(r, Set.of("applying"))).isEqualTo("failed");
        assertThat(rig.optimization(r, "reason")).contains("failed: experiment " + id + " not started: the node moved "
                + "from parameter version " + v0 + " to " + (v0 + 1) + " meanwhile");
        assertThat(rig.experiment(r, "status")).isEqualTo("failed");
        GatewayAdmin.Answer after = gw.experiment();
        assertThat(after.status()).as("no experiment: " + after.body()).isEqualTo(404);
        assertThat(after.body().has("lastEnded")).isFalse();
        JsonNode params = gw.params();
        assertThat(params.path("params").path("compression_threshold").asLong()).as("someone else's value")
                .isEqualTo(4096);
        assertThat(params.path("version").asLong()).isEqualTo(v0 + 1);
        second.stop();
    }

    /** Once the gateway runs the experiment: eight windows with -60% bytes in treatment, after its settle time. */
    void clearGainWindows(Recommendation r) throws Exception {
        long startedAt = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> gw.experiment().body().path("experiment").path("startedAtMillis").asLong(0), t -> t > 0);
        rig.publishWindows(new SimulatedArms(AgentRig.NODE, "x-" + r.id(), startedAt + 5_000, 5_000, 7, 120, 0.5, -0.6,
                8, false, 1_000, 1_050).windows);
    }
}
