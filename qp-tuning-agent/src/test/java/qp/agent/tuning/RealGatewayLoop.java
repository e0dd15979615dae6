package qp.agent.tuning;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.config.AgentConfig;
import qp.agent.testing.GatewayAdmin;
import qp.agent.testing.MutableClock;
import qp.agent.testing.RunningGateway;

/**
 * What the loop's tests against a real gateway share: the gateway (node edge-1, its admin API on a real socket), the
 * test's own client of that API, the default config listing it, and the loop on a real SQLite file beside it
 * ({@link #harness}), on a clock that moves only when the test moves it. Everything is stopped after each test.
 */
abstract class RealGatewayLoop {
    static final long T0 = 1_796_000_000_000L;
    static final String NODE = "edge-1";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(T0);
    RunningGateway gw;
    GatewayAdmin admin;
    AgentConfig config;
    LoopHarness h;

    @BeforeEach
    void startGateway() {
        gw = RunningGateway.start(NODE, dir.resolve("gw-state"));
        admin = GatewayAdmin.of(gw);
        config = AgentConfig.defaults().withGateways(List.of(gw.entry()));
    }

    @AfterEach
    void stopAll() {
        if (h != null) {
            h.close();
        }
        gw.close();
    }

    /** The loop with {@code c} on the test's store; it becomes {@link #h}, closed after the test. */
    LoopHarness harness(AgentConfig c) {
        h = new LoopHarness(dir.resolve("agent.db"), c, clock);
        return h;
    }
}
