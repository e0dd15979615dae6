package qp.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import qp.gateway.GatewayConfig;
import qp.gateway.GatewayServer;
import qp.client.QpClient;
import qp.protocol.frame.MessageType;

/** Gateway configs for tests: loopback, free ports, known tokens. */
public final class TestGateways {
    public static final String TOKEN = "client-secret";
    public static final String ADMIN_TOKEN = "admin-secret";

    private TestGateways() {
    }

    public static GatewayConfig.Builder config() {
        return GatewayConfig.builder().host("127.0.0.1").port(0).adminHost("127.0.0.1").adminPort(0)
                .nodeId("test-node").clientToken(TOKEN).adminToken(ADMIN_TOKEN).ioThreads(2)
                .shutdownGrace(Duration.ofSeconds(3));
    }

    /** A client connected to {@code gw} and authenticated with {@link #TOKEN}; fails the test unless AUTH is ACKed. */
    public static QpClient authed(GatewayServer gw) throws InterruptedException, TimeoutException {
        QpClient c = QpClient.connect(gw.uri());
        assertThat(c.auth(TOKEN).type()).as("AUTH reply").isEqualTo(MessageType.ACK);
        return c;
    }
}
