package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/** The forwarding extension: ops routed to an upstream HTTP service, and every way the upstream can fail. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamRouteTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    final CollectingEmitter emitter = new CollectingEmitter();
    final CountDownLatch release = new CountDownLatch(1);
    HttpServer upstream;
    ExecutorService upstreamThreads;
    GatewayServer gw;

    @BeforeAll
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstreamThreads = Executors.newFixedThreadPool(4);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/orders", ex -> {
            JsonNode args = QpJson.tree(ex.getRequestBody().readAllBytes());
            var body = QpJson.object().put("method", ex.getRequestMethod())
                    .put("contentType", ex.getRequestHeaders().getFirst("Content-Type"));
            body.set("args", args);
            reply(ex, 200, QpJson.bytes(body));
        });
        upstream.createContext("/fail", ex -> reply(ex, 503, "{\"down\":true}".getBytes(StandardCharsets.UTF_8)));
        upstream.createContext("/notjson", ex -> reply(ex, 200, "hello".getBytes(StandardCharsets.UTF_8)));
        upstream.createContext("/slow", ex -> {
            try {
                release.await(30, TimeUnit.SECONDS); // answers only once the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
        });
        upstream.start();
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        gw = GatewayServer.start(TestGateways.config()
                .route("orders.get", URI.create(base + "/orders"))
                .route("orders.fail", URI.create(base + "/fail"))
                .route("orders.garbled", URI.create(base + "/notjson"))
                .route("orders.slow", URI.create(base + "/slow"))
                .route("orders.down", URI.create("http://127.0.0.1:" + closedPort() + "/orders"))
                .upstreamTimeout(Duration.ofSeconds(3)) // long enough for a loaded machine, short for the slow route
                .build(), emitter);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    void stop() {
        release.countDown();
        gw.close();
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    QpClient authed() throws Exception {
        return TestGateways.authed(gw);
    }

    @Test
    void routedOpPostsArgsAndReturnsTheUpstreamBody() throws Exception {
        try (QpClient c = authed()) {
            var args = QpJson.object().put("orderId", 42);
            c.sendCommand(7, "orders.get", args);
            Frame f = c.next(WAIT);
            assertThat(f.type()).isEqualTo(MessageType.ACK);
            JsonNode j = QpJson.treeOf(f.payload());
            assertThat(j.path("id").asLong()).isEqualTo(7);
            assertThat(j.path("result").path("method").asText()).isEqualTo("POST");
            assertThat(j.path("result").path("contentType").asText()).isEqualTo("application/json");
            assertThat(j.path("result").path("args")).isEqualTo(args);
        }
    }

    @Test
    void upstreamFailuresAreUpstreamErrorsAndTheSessionStaysOpen() throws Exception {
        try (QpClient c = authed()) {
            expectUpstreamError(c, 1, "orders.fail", "503");
            expectUpstreamError(c, 2, "orders.garbled", "not JSON");
            expectUpstreamError(c, 3, "orders.down", "unreachable");
            expectUpstreamError(c, 4, "orders.slow", "did not answer within 3000 ms");
            ProtocolTest.assertEchoWorks(c);
        }
    }

    @Test
    void aSlowUpstreamDoesNotHoldUpOtherFramesOfTheSession() throws Exception {
        try (QpClient c = authed()) {
            c.sendCommand(10, "orders.slow", QpJson.object());
            c.sendCommand(11, "ping", null);
            Frame first = c.next(WAIT);
            assertThat(QpJson.treeOf(first.payload()).path("id").asLong()).as("ping overtakes the slow op").isEqualTo(11);
            Frame second = c.next(WAIT);
            assertThat(QpJson.treeOf(second.payload()).path("id").asLong()).isEqualTo(10);
            assertThat(QpJson.treeOf(second.payload()).path("code").asText()).isEqualTo("UPSTREAM_ERROR");
        }
    }

    private static void expectUpstreamError(QpClient c, long id, String op, String reason) throws Exception {
        c.sendCommand(id, op, QpJson.object().put("n", id));
        Frame f = c.next(WAIT);
        assertThat(f.type()).isEqualTo(MessageType.ERROR);
        JsonNode j = QpJson.treeOf(f.payload());
        assertThat(j.path("id").asLong()).isEqualTo(id);
        assertThat(j.path("code").asText()).isEqualTo("UPSTREAM_ERROR");
        assertThat(j.path("message").asText()).contains(op).contains(reason);
        assertThat(c.isOpen()).isTrue();
    }
}
