package qp.agent.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import qp.agent.config.GatewayEntry;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.gateway.events.EmitterStats;
import qp.gateway.events.EventEmitter;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** A real gateway on free loopback ports, whose events go nowhere: the agent reaches it only through its admin API. */
public final class RunningGateway implements AutoCloseable {
    public static final String ADMIN_TOKEN = "agent-test-admin";
    private final GatewayServer server;

    private RunningGateway(GatewayServer server) {
        this.server = server;
    }

    public static RunningGateway start(String nodeId, Path stateDir) {
        GatewayConfig config = GatewayConfig.builder().host("127.0.0.1").port(0).adminHost("127.0.0.1").adminPort(0)
                .nodeId(nodeId).clientToken("agent-test-client").adminToken(ADMIN_TOKEN).ioThreads(1)
                .metricsInterval(Duration.ofHours(1)).shutdownGrace(Duration.ofSeconds(2)).stateDir(stateDir).build();
        return new RunningGateway(GatewayServer.start(config, new NoEvents()));
    }

    public GatewayEntry entry() {
        return new GatewayEntry(server.config().nodeId(), adminUrl(), ADMIN_TOKEN);
    }

    public URI adminUrl() {
        return server.adminUri();
    }

    public long version() {
        return server.params().version();
    }

    public GatewayServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }

    private static final class NoEvents implements EventEmitter {
        @Override
        public void emitFrame(FrameEvent event) {
        }

        @Override
        public void emitNodeMetrics(NodeMetrics sample) {
        }

        @Override
        public EmitterStats stats() {
            return new EmitterStats(0, 0, 0, 0, true);
        }

        @Override
        public void close() {
        }
    }
}
