package qp.agent.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.testing.GatewayAdmin;
import qp.agent.testing.MutableClock;
import qp.agent.testing.RunningGateway;
import qp.protocol.analytics.Recommendation;

/**
 * Exploration (issue 19) against a real gateway: a node idle for --exploration-idle gets one small experiment at a
 * neighbouring value, gated like any change but for confidence and improvement, started at --exploration-share. The
 * expected value is the test's own arithmetic: the gateway's buffer_size × 1.5, rounded to 1 KiB.
 */
class ExplorationTest {
    static final long T0 = 1_796_000_000_000L;
    static final String NODE = "edge-1";

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    RunningGateway gw;
    GatewayAdmin admin;
    LoopHarness h;

    @BeforeEach
    void start() {
        gw = RunningGateway.start(NODE, dir.resolve("gw-state"));
        admin = GatewayAdmin.of(gw);
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        gw.close();
    }

    AgentConfig config(AgentOptions.Exploration exploration) {
        return AgentConfig.defaults().withGateways(List.of(gw.entry()))
                .with(AgentOptions.EXPLORATION, exploration)
                .with(AgentOptions.EXPLORATION_IDLE, Duration.ofMinutes(1));
    }

    @Test
    void anIdleNodeGetsASmallExperimentAtANeighbouringValue() throws Exception {
        h = new LoopHarness(dir.resolve("agent.db"), config(AgentOptions.Exploration.ON), clock);
        long buffer = admin.params().path("params").path("buffer_size").asLong();
        long expected = Math.round(buffer * 1.5 / 1024) * 1024;

        h.loop.tick();
        assertThat(h.applier.calls).as("the agent's start counts as activity").isEmpty();
        clock.advance(Duration.ofSeconds(61));
        h.loop.tick(); // records the exploration as pending
        h.loop.tick(); // gates it and starts its experiment

        Optimization o = h.ledger.withStatus(Status.APPLIED).stream().findFirst().orElseThrow(() -> new AssertionError(
                "no exploration applied: " + h.ledger.withStatus(Status.values())));
        assertThat(o.recommendation().source()).isEqualTo(Recommendation.SOURCE_EXPLORATION);
        assertThat(o.parameter()).isEqualTo("buffer_size");
        assertThat(o.recommendation().proposedValue()).isEqualTo(expected);
        JsonNode running = admin.experiment().body().path("experiment");
        assertThat(running.path("parameter").asText()).isEqualTo("buffer_size");
        assertThat(running.path("treatment").asLong()).isEqualTo(expected);
        assertThat(running.path("treatmentShare").asDouble()).as("--exploration-share, the default").isEqualTo(0.05);

        clock.advance(Duration.ofMinutes(5));
        h.loop.tick();
        assertThat(h.applier.starts()).as("one at a time per node: nothing else while it runs").isEqualTo(1);
    }

    @Test
    void withExplorationOffAnIdleNodeIsLeftAlone() throws Exception {
        h = new LoopHarness(dir.resolve("agent.db"), config(AgentOptions.Exploration.OFF), clock);
        h.loop.tick();
        clock.advance(Duration.ofMinutes(30));
        h.loop.tick();
        h.loop.tick();
        assertThat(h.applier.calls).isEmpty();
        assertThat(h.ledger.withStatus(Status.values())).isEmpty();
    }
}
