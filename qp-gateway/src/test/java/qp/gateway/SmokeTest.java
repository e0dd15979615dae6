package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import qp.gateway.testing.CollectingEmitter;
import qp.protocol.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

class SmokeTest {
    @Test
    void authThenEcho() throws Exception {
        GatewayConfig cfg = GatewayConfig.builder().port(0).adminPort(0).host("127.0.0.1").adminHost("127.0.0.1")
                .clientToken("t").adminToken("a").build();
        try (GatewayServer gw = GatewayServer.start(cfg, new CollectingEmitter());
             QpClient c = QpClient.connect(gw.uri())) {
            Frame ack = c.auth("t");
            assertThat(ack.type()).isEqualTo(MessageType.ACK);
            c.sendCommand(7, "echo", QpJson.object().put("a", 1));
            Frame r = c.next(Duration.ofSeconds(5));
            assertThat(new String(r.payload())).isEqualTo("{\"id\":7,\"result\":{\"a\":1}}");
        }
    }
}
