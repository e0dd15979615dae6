package qp.agent.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.store.SqliteExperimentStore;
import qp.agent.testing.GatewayAdmin;
import qp.agent.testing.RecordingApplier;
import qp.agent.testing.Scenario;
import qp.protocol.analytics.Recommendation;

/**
 * The node moves between the agent's read of its parameters and its {@code POST /experiment}: a real gateway answers
 * 412, and the agent records the change as failed, sends nothing more, and leaves the node as the other actor left it.
 * The other actor is the test, over the gateway's admin API, at exactly that moment.
 */
class VersionMovedTest extends RealGatewayLoop {
    @BeforeEach
    void start() {
        harness(config);
    }

    /** A compression recommendation computed on the node's version now, its experiment started in one tick. */
    Recommendation tickWith(RecordingApplier.Meanwhile meanwhile) throws Exception {
        Recommendation r = Scenario.rec(NODE, "compression_threshold", 0, 1024, 0.9, 0.3, "bytes", admin.version(), T0);
        h.applier.beforeNextPost(meanwhile);
        h.source.offer(r);
        h.loop.tick();
        return r;
    }

    @Test
    void aPutOfAnotherParameterJustBeforeThePostGets412AndTheChangeIsRecordedFailed() throws Exception {
        long v0 = admin.version();
        Recommendation r = tickWith(() -> assertThat(admin.putParam("heartbeat_interval", 20_000, v0).status())
                .as("someone else's PUT").isEqualTo(200));
        String id = "x-" + r.id();

        assertThat(h.applier.calls).containsSubsequence("POST /experiment edge-1 " + id + " compression_threshold=1024 "
                + "if-match " + v0, "  answered VERSION_MOVED", "GET /experiment edge-1");
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.reason()).contains("failed: experiment " + id + " not started: the node moved from parameter "
                + "version " + v0 + " to " + (v0 + 1) + " meanwhile");
        assertThat(new SqliteExperimentStore(h.db).forRecommendation(r.id()).orElseThrow().status())
                .isEqualTo(ExperimentStatus.FAILED);

        h.loop.tick();
        assertThat(h.applier.starts()).as("no second POST, at the new version or any other").isEqualTo(1);
        GatewayAdmin.Answer experiment = admin.experiment();
        assertThat(experiment.status()).as("no experiment: " + experiment.body()).isEqualTo(404);
        JsonNode params = admin.params();
        assertThat(params.path("version").asLong()).isEqualTo(v0 + 1);
        assertThat(params.path("params").path("heartbeat_interval").asLong()).isEqualTo(20_000);
        assertThat(params.path("params").path("compression_threshold").asText()).isEqualTo("off");
    }

    @Test
    void anExperimentSomeoneElseStartedJustBeforeThePostIsLeftRunningAndTheChangeIsRecordedFailed() throws Exception {
        long v0 = admin.version();
        long heartbeat = admin.params().path("params").path("heartbeat_interval").asLong();
        Recommendation r = tickWith(() -> assertThat(admin.startExperiment("theirs", "heartbeat_interval", heartbeat,
                heartbeat / 2, 0.2).status()).as("someone else's experiment").isEqualTo(201));
        String id = "x-" + r.id();

        assertThat(h.applier.calls).containsSubsequence("POST /experiment edge-1 " + id + " compression_threshold=1024 "
                + "if-match " + v0, "  answered VERSION_MOVED", "GET /experiment edge-1");
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.reason()).contains("the node moved from parameter version " + v0 + " to " + (v0 + 1)
                + " meanwhile and runs experiment theirs");

        h.loop.tick();
        assertThat(h.applier.calls).as("the agent never ends an experiment that is not its own")
                .noneMatch(c -> c.startsWith("DELETE"));
        JsonNode running = admin.experiment().body().path("experiment");
        assertThat(running.path("id").asText()).isEqualTo("theirs");
        assertThat(running.path("treatment").asLong()).isEqualTo(heartbeat / 2);
        assertThat(admin.version()).isEqualTo(v0 + 1);
        assertThat(admin.params().path("params").path("compression_threshold").asText()).isEqualTo("off");
    }

    /**
     * A gateway whose POST answers 412 while its GET says the version stands still (a proxy in between, a bug): the
     * agent asks the gateway, sends the POST once more, and then records the change failed. Before this bound the
     * two calls recursed until a StackOverflowError ended the agent's tick schedule silently.
     */
    @Test
    void a412ThatTheGatewaysOwnStateDoesNotExplainIsRetriedOnceThenFailed() throws Exception {
        h.applier.postsAnswer412();
        Recommendation r = tickWith(null);

        assertThat(h.applier.starts()).as("the first POST and one more").isEqualTo(2);
        Optimization o = h.get(r.id());
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.reason()).contains("answered 412 twice although its version had not moved");
        assertThat(admin.experiment().status()).isEqualTo(404);
    }
}
