package qp.gateway.testing;

import java.time.Duration;
import qp.gateway.GatewayConfig;

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
}
