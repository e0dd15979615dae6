package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.ManualClock;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.params.TunableParameter;

/**
 * Heartbeats both ways and the timeout close, with PROTOCOL.md's own heartbeat_interval (30 s, and 15 s / 60 s
 * within its range) on a {@link ManualClock}: the test moves time, so it takes no longer than the frames it sends,
 * and "not before the interval" is exact rather than a measured wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatTest {
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final Duration JUST_BEFORE = INTERVAL.minusMillis(1);
    static final Duration MS = Duration.ofMillis(1);
    static final Duration WAIT = Duration.ofSeconds(10);
    final CollectingEmitter emitter = new CollectingEmitter();
    final ManualClock clock = new ManualClock();
    GatewayServer gw;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().clock(clock).timers(clock)
                .param(TunableParameter.HEARTBEAT_INTERVAL, INTERVAL.toMillis()).build(), emitter);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    /** A connection whose session has armed its heartbeat: its timer is then the clock's only one. */
    QpClient connect() {
        await().atMost(WAIT).until(() -> gw.sessions() == 0); // earlier sessions are gone, and their timers with them
        QpClient c = QpClient.connect(gw.uri());
        await().atMost(WAIT).until(() -> clock.pending() == 1);
        return c;
    }

    long serverHeartbeats() {
        return emitter.frames().stream().filter(e -> e.direction() == Direction.OUT && e.type().equals("HEARTBEAT")).count();
    }

    @Test
    void serverSendsHeartbeatAfterSilenceThenClosesSilentSession1001() throws Exception {
        long timeoutsBefore = (long) gw.metrics().heartbeatTimeoutsTotal();
        try (QpClient c = connect()) {
            assertThat(c.auth(TestGateways.TOKEN).type()).isEqualTo(MessageType.ACK); // the client's last frame
            long heartbeatsBefore = serverHeartbeats();
            clock.advance(JUST_BEFORE);
            assertThat(serverHeartbeats()).as("no HEARTBEAT before the interval").isEqualTo(heartbeatsBefore);
            clock.advance(MS);
            Frame hb = c.next(WAIT);
            assertThat(hb.type()).isEqualTo(MessageType.HEARTBEAT);
            clock.advance(JUST_BEFORE); // the client stays silent
            assertThat(gw.metrics().heartbeatTimeoutsTotal()).as("no close before twice the interval").isEqualTo(timeoutsBefore);
            assertThat(c.isOpen()).isTrue();
            clock.advance(MS);
            QpClient.Close close = c.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1001);
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
        try (QpClient c = connect()) {
            clock.advance(INTERVAL);
            assertThat(c.next(WAIT).type()).isEqualTo(MessageType.HEARTBEAT);
            clock.advance(INTERVAL);
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(1001);
        }
    }

    @Test
    void answeringTheServerHeartbeatKeepsTheSessionOpen() throws Exception {
        try (QpClient c = connect()) {
            c.auth(TestGateways.TOKEN);
            for (int i = 0; i < 4; i++) { // four server heartbeats, each answered: 4 intervals > the 2-interval timeout
                clock.advance(INTERVAL);
                Frame hb = c.next(WAIT);
                assertThat(hb.type()).isEqualTo(MessageType.HEARTBEAT);
                c.send(MessageType.HEARTBEAT, new byte[] {(byte) i});
                assertThat(c.next(WAIT).payload()).containsExactly((byte) i); // the echo of ours: the server has it
            }
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void heartbeatIntervalChangeAppliesToOpenSessions() throws Exception {
        gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, 60_000L));
        try (QpClient c = connect()) {
            c.auth(TestGateways.TOKEN);
            long heartbeatsBefore = serverHeartbeats();
            // with a minute's interval, nothing comes where 30 s would have brought a heartbeat
            clock.advance(Duration.ofSeconds(45));
            assertThat(serverHeartbeats()).isEqualTo(heartbeatsBefore);
            assertThat(c.isOpen()).isTrue();
            // down to 15 s while the session is open: it has been silent longer than that, so its heartbeat is due at once
            long armed = clock.scheduledTotal();
            gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, 15_000L));
            await().atMost(WAIT).until(() -> clock.scheduledTotal() > armed); // the session re-armed its timer
            clock.advance(MS);
            assertThat(c.next(WAIT).type()).isEqualTo(MessageType.HEARTBEAT);
        } finally {
            gw.params().apply(Map.of(TunableParameter.HEARTBEAT_INTERVAL, INTERVAL.toMillis()));
        }
    }
}
