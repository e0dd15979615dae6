package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.params.TunableParameter;

/** Start-up checks, authentication switched off, and graceful shutdown. */
class LifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shutdownClosesSessions1001ThenClosesTheEmitter() throws Exception {
        CollectingEmitter emitter = new CollectingEmitter();
        GatewayServer gw = GatewayServer.start(TestGateways.config().build(), emitter);
        List<QpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                QpClient c = QpClient.connect(gw.uri());
                c.auth(TestGateways.TOKEN);
                clients.add(c);
            }
            gw.close();
            for (QpClient c : clients) {
                assertThat(c.awaitClose(WAIT).code()).isEqualTo(1001);
            }
            assertThat(gw.sessions()).isZero();
            assertThat(emitter.closed).isTrue();
            assertThat(emitter.samples()).as("a last node sample on the way out").isNotEmpty();
            assertThatThrownBy(() -> QpClient.connect(gw.uri())).as("the listener is gone").isNotNull();
        } finally {
            clients.forEach(QpClient::close);
            gw.close(); // idempotent
        }
    }

    @Test
    void shutdownAnswersCommandsStillWaitingForTheirUpstream() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer upstream = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.ExecutorService upstreamThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        upstream.setExecutor(upstreamThread);
        upstream.createContext("/late", ex -> {
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"late\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        upstream.start();
        GatewayServer gw = GatewayServer.start(TestGateways.config()
                .route("late", java.net.URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/late"))
                .upstreamTimeout(Duration.ofSeconds(30)).shutdownGrace(Duration.ofSeconds(30)).build(), new CollectingEmitter());
        try (QpClient c = QpClient.connect(gw.uri())) {
            c.auth(TestGateways.TOKEN);
            c.sendCommand(42, "late", qp.protocol.json.QpJson.object());
            await().atMost(WAIT).until(() -> gw.metrics().framesInTotal() >= 2); // AUTH and the COMMAND are in
            Thread closer = new Thread(gw::close);
            closer.start();
            // the command waits for its upstream: the session is not closed under it
            assertThat(c.poll(Duration.ofMillis(300))).isNull();
            assertThat(c.isOpen()).isTrue();
            release.countDown();
            var ack = c.next(WAIT);
            assertThat(ack.type()).isEqualTo(qp.protocol.frame.MessageType.ACK);
            assertThat(new String(ack.payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":42,\"result\":{\"late\":true}}");
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(1001);
            closer.join(WAIT.toMillis());
            assertThat(closer.isAlive()).isFalse();
        } finally {
            release.countDown();
            gw.close();
            upstream.stop(0);
            upstreamThread.shutdownNow();
        }
    }

    @Test
    void withAuthOffSessionsWorkAtOnce() throws Exception {
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().authRequired(false).build(), new CollectingEmitter());
             QpClient c = QpClient.connect(gw.uri())) {
            ProtocolTest.assertEchoWorks(c);
        }
    }

    @Test
    void aTakenPortIsAClearErrorAndLeavesNothingBound() throws Exception {
        try (GatewayServer first = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter())) {
            assertThatThrownBy(() -> GatewayServer.start(TestGateways.config().port(first.port()).build(), new CollectingEmitter()))
                    .hasMessageContaining("cannot listen for QP").hasMessageContaining(String.valueOf(first.port()));
            int free;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                free = s.getLocalPort();
            }
            assertThatThrownBy(() -> GatewayServer.start(TestGateways.config().port(free).adminPort(first.adminPort()).build(),
                    new CollectingEmitter())).hasMessageContaining("admin API");
            // the QP port of the failed start was released
            try (GatewayServer again = GatewayServer.start(TestGateways.config().port(free).build(), new CollectingEmitter())) {
                assertThat(again.port()).isEqualTo(free);
            }
        }
    }

    @Test
    void configRefusesOutOfRangeParamsAndEqualTokens() {
        assertThatThrownBy(() -> TestGateways.config().param(TunableParameter.BUFFER_SIZE, 10).build())
                .hasMessageContaining("buffer_size");
        assertThatThrownBy(() -> TestGateways.config().adminToken(TestGateways.TOKEN).build())
                .hasMessageContaining("differ");
    }
}
