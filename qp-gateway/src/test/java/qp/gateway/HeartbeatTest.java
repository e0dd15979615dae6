package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.protocol.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.params.TunableParameter;

/**
 * Heartbeats both ways and the timeout close, on a gateway started with a 400 ms heartbeat_interval
 * (relaxedParamRanges: the admin API would refuse it) so that the test takes seconds, not minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatTest {
    static final long INTERVAL_MS = 400;
    final CollectingEmitter emitter = new CollectingEmitter();
    GatewayServer gw;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().relaxedParamRanges(true)
                .param(TunableParameter.HEARTBEAT_INTERVAL, INTERVAL_MS).build(), emitter);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void serverSendsHeartbeatAfterSilenceThenClosesSilentSession1001() throws Exception {
        double timeoutsBefore = gw.metrics().heartbeatTimeoutsTotal();
        try (QpClient c = QpClient.connect(gw.uri())) {
            long silentSince = System.nanoTime(); // before AUTH, the client's last frame: the server cannot count from earlier
            assertThat(c.auth(TestGateways.TOKEN).type()).isEqualTo(MessageType.ACK);
            Frame hb = c.next(Duration.ofSeconds(10));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
            assertThat(hb.type()).isEqualTo(MessageType.HEARTBEAT);
            assertThat(waitedMs).isGreaterThanOrEqualTo(INTERVAL_MS); // not before the interval
            QpClient.Close close = c.awaitClose(Duration.ofSeconds(10)); // the client stays silent
            assertThat(close.code()).isEqualTo(1001);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince)).isGreaterThanOrEqualTo(2 * INTERVAL_MS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gw.metrics().heartbeatTimeoutsTotal() >= timeoutsBefore + 1);
        assertThat(gw.registry().scrape()).contains("qp_heartbeat_timeouts_total");
        await().atMost(Duration.ofSeconds(10)).until(() -> emitter.samples().stream()
                .anyMatch(m -> m.heartbeatTimeouts() >= 1 && m.heartbeatTimeoutsTotal() >= timeoutsBefore + 1));
        // the server's own HEARTBEAT is recorded like any other frame
        assertThat(emitter.frames()).anyMatch(e -> e.direction() == Direction.OUT && e.type().equals("HEARTBEAT")
                && e.latencyMicros() == 0);
    }

    @Test
    void unauthenticatedSilentConnectionsTimeOutToo() throws Exception {
        try (QpClient c = QpClient.connect(gw.uri())) {
            assertThat(c.next(Duration.ofSeconds(10)).type()).isEqualTo(MessageType.HEARTBEAT);
            assertThat(c.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1001);
        }
    }

    @Test
    void answeringTheServerHeartbeatKeepsTheSessionOpen() throws Exception {
        try (QpClient c = QpClient.connect(gw.uri())) {
            c.auth(TestGateways.TOKEN);
            for (int i = 0; i < 4; i++) { // four server heartbeats, each answered: 4 intervals > the 2-interval timeout
                Frame hb = c.next(Duration.ofSeconds(10));
                assertThat(hb.type()).isEqualTo(MessageType.HEARTBEAT);
                c.send(MessageType.HEARTBEAT, new byte[] {(byte) i});
                assertThat(c.next(Duration.ofSeconds(10)).payload()).containsExactly((byte) i); // the echo of ours
            }
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void heartbeatIntervalChangeAppliesToOpenSessions() throws Exception {
        gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, 60_000L));
        try (QpClient c = QpClient.connect(gw.uri())) {
            c.auth(TestGateways.TOKEN);
            // with a minute's interval, nothing arrives where 400 ms would have brought a heartbeat and a close
            assertThat(c.poll(Duration.ofMillis(3 * INTERVAL_MS))).isNull();
            assertThat(c.isOpen()).isTrue();
            // back to 400 ms while the session is open: its heartbeat comes within seconds, not a minute
            gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, INTERVAL_MS));
            assertThat(c.next(Duration.ofSeconds(10)).type()).isEqualTo(MessageType.HEARTBEAT);
        } finally {
            gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, INTERVAL_MS));
        }
    }
}
