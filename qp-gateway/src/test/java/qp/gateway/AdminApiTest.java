package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import qp.gateway.testing.AdminHttp;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.ManualClock;
import qp.gateway.testing.RawWs;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameReader;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/** The admin API: auth, validation, versions, health, metrics, and the effect of each tunable parameter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    final CollectingEmitter emitter = new CollectingEmitter();
    GatewayServer gw;
    AdminHttp admin;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().metricsInterval(Duration.ofMillis(100)).build(), emitter);
        admin = new AdminHttp(gw.adminUri());
    }

    @AfterAll
    void stop() {
        gw.close();
        // JUnit may keep a per-class instance after the class: let go of the admin client's JDK HttpClient, or
        // FuzzTest, when it runs next, waits in vain for every HttpClient in the JVM to be gone
        admin = null;
        gw = null;
    }

    @AfterEach
    void restoreDefaults() throws Exception {
        HttpResponse<String> r = put("{\"buffer_size\": 8192, \"heartbeat_interval\": 30000, \"compression_threshold\": \"off\","
                + " \"max_connections\": 100, \"max_frame_bytes\": 1048576}");
        assertThat(r.statusCode()).isEqualTo(200);
        emitter.dropped.set(0);
    }

    HttpResponse<String> put(String body) throws Exception {
        return admin.put("/params", body, TestGateways.ADMIN_TOKEN);
    }

    JsonNode params() throws Exception {
        HttpResponse<String> r = admin.get("/params", TestGateways.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }

    QpClient authed(boolean compression) throws Exception {
        QpClient c = QpClient.connect(gw.uri());
        c.send(MessageType.AUTH, ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":" + compression + "}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.next(WAIT).type()).isEqualTo(MessageType.ACK);
        return c;
    }

    // ---- auth

    @Test
    void paramsAndMetricsNeedTheAdminToken() throws Exception {
        for (String path : List.of("/params", "/metrics")) {
            assertThat(admin.get(path, null).statusCode()).isEqualTo(401);
            assertThat(admin.get(path, "wrong").statusCode()).isEqualTo(401);
            assertThat(admin.get(path, TestGateways.TOKEN).statusCode()).as("the client token is not the admin token").isEqualTo(401);
            assertThat(admin.get(path, TestGateways.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        }
        long version = gw.params().version();
        assertThat(admin.put("/params", "{\"buffer_size\": 16384}", null).statusCode()).isEqualTo(401);
        assertThat(gw.params().version()).isEqualTo(version);
        assertThat(gw.params().params().bufferSizeBytes()).isEqualTo(8192);
    }

    @Test
    void healthIsOpen() throws Exception {
        assertThat(admin.get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(admin.get("/health/ready", null).statusCode()).isEqualTo(200);
    }

    // ---- GET / PUT

    @Test
    void getShowsValuesAndVersion() throws Exception {
        JsonNode p = params();
        assertThat(p.path("version").asLong()).isEqualTo(gw.params().version());
        assertThat(p.path("params").path("buffer_size").asLong()).isEqualTo(8192);
        assertThat(p.path("params").path("heartbeat_interval").asLong()).isEqualTo(30000);
        assertThat(p.path("params").path("compression_threshold").asText()).isEqualTo("off");
        assertThat(p.path("params").path("max_connections").asLong()).isEqualTo(100);
        assertThat(p.path("params").path("max_frame_bytes").asLong()).isEqualTo(1048576);
    }

    @Test
    void acceptedChangeIncrementsTheVersionOnce() throws Exception {
        long v = params().path("version").asLong();
        HttpResponse<String> r = put("{\"buffer_size\": 16384, \"compression_threshold\": 1024}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.path("version").asLong()).isEqualTo(v + 1);
        assertThat(body.path("params").path("buffer_size").asLong()).isEqualTo(16384);
        assertThat(body.path("params").path("compression_threshold").asLong()).isEqualTo(1024);
        assertThat(params().path("version").asLong()).isEqualTo(v + 1);
        assertThat(gw.params().params().compressionThresholdBytes()).isEqualTo(1024);
        // the same values again change nothing, so the version stays
        assertThat(QpJson.treeOf(put("{\"buffer_size\": 16384}").body().getBytes(StandardCharsets.UTF_8))
                .path("version").asLong()).isEqualTo(v + 1);
    }

    static Stream<Arguments> badUpdates() {
        return Stream.of(
                Arguments.of("{\"buffer_size\": 1024}", "buffer_size"),
                Arguments.of("{\"buffer_size\": 65537}", "buffer_size"),
                Arguments.of("{\"heartbeat_interval\": 14999}", "heartbeat_interval"),
                Arguments.of("{\"heartbeat_interval\": \"fast\"}", "heartbeat_interval"),
                Arguments.of("{\"compression_threshold\": 255}", "compression_threshold"),
                Arguments.of("{\"compression_threshold\": \"on\"}", "compression_threshold"),
                Arguments.of("{\"max_connections\": 0}", "max_connections"),
                Arguments.of("{\"max_connections\": 100001}", "max_connections"),
                Arguments.of("{\"max_connections\": 10.5}", "max_connections"),
                Arguments.of("{\"max_frame_bytes\": 17000000}", "max_frame_bytes"),
                Arguments.of("{\"max_frame_bytes\": \"off\"}", "max_frame_bytes"),
                Arguments.of("{\"buffer_size\": 16384, \"max_frame_bytes\": 1}", "max_frame_bytes"),
                Arguments.of("{\"buffer_size\": 16384, \"bufer_size\": 16384}", "bufer_size"),
                Arguments.of("{\"buffer_size\": null}", "buffer_size"));
    }

    @ParameterizedTest
    @MethodSource("badUpdates")
    void badUpdateIsRejectedWholeNamingTheField(String body, String field) throws Exception {
        JsonNode before = params();
        HttpResponse<String> r = put(body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode err = QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(err.path("field").asText()).isEqualTo(field);
        assertThat(err.path("message").asText()).contains(field);
        assertThat(params()).isEqualTo(before); // nothing applied, not even the good fields beside the bad one
    }

    @Test
    void badJsonIsRejected() throws Exception {
        JsonNode before = params();
        for (String body : List.of("{\"buffer_size\": ", "[1,2]", "", "16384")) {
            HttpResponse<String> r = put(body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8)).path("message").asText()).isNotBlank();
        }
        assertThat(params()).isEqualTo(before);
    }

    // ---- health and metrics

    @Test
    void readinessFailsWhileTheEmitterDropsAndWhenNotAccepting() throws Exception {
        assertThat(admin.get("/health/ready", null).statusCode()).isEqualTo(200);
        emitter.dropped.addAndGet(5);
        await().atMost(WAIT).until(() -> admin.get("/health/ready", null).statusCode() == 503);
        assertThat(admin.get("/health/ready", null).body()).contains("\"emitterFailing\":true");
        assertThat(admin.get("/health/live", null).statusCode()).isEqualTo(200);
        // no further drops: ready again after the memory of the drop passes (10 samples of 100 ms)
        await().atMost(WAIT).until(() -> admin.get("/health/ready", null).statusCode() == 200);
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        try (QpClient c = authed(false)) {
            c.sendCommand(1, "echo", QpJson.object());
            c.next(WAIT);
            c.sendCommand(2, "missing", null);
            c.next(WAIT);
        }
        HttpResponse<String> r = admin.get("/metrics", TestGateways.ADMIN_TOKEN);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains(
                "qp_frames_total{direction=\"in\",type=\"COMMAND\"}",
                "qp_frames_total{direction=\"out\",type=\"ACK\"}",
                "qp_bytes_total{direction=\"in\"}",
                "qp_sessions ",
                "qp_errors_total{code=\"UNKNOWN_OP\"}",
                "qp_frame_latency_seconds_bucket",
                "qp_heartbeat_timeouts_total",
                "qp_emitter_queue_depth",
                "qp_emitter_spooled",
                "qp_emitter_dropped_total",
                "qp_params_version",
                "qp_param{name=\"buffer_size\"}");
    }

    @Test
    void nodeMetricsAreSampledEveryInterval() throws Exception {
        await().atMost(WAIT).until(() -> emitter.samples().size() >= 3);
        try (QpClient c = authed(false)) {
            int before = emitter.samples().size();
            for (int i = 0; i < 50; i++) {
                ProtocolTest.assertEchoWorks(c);
            }
            // a sample taken while the session is open shows it, and the frames it carried
            await().atMost(WAIT).until(() -> emitter.samples().stream().skip(before)
                    .anyMatch(m -> m.connections() >= 1 && m.framesInPerSec() > 0 && m.framesOutPerSec() > 0
                            && m.bytesInPerSec() > 0 && m.bytesOutPerSec() > 0));
        }
        var s = emitter.samples().get(emitter.samples().size() - 1);
        assertThat(s.nodeId()).isEqualTo("test-node");
        assertThat(s.heapUsedBytes()).isPositive();
        assertThat(s.heapMaxBytes()).isGreaterThanOrEqualTo(s.heapUsedBytes());
        assertThat(s.paramVersion()).isPositive();
        assertThat(s.params()).isNotNull();
        assertThat(s.processCpuLoad()).isBetween(-1.0, 1.0);
    }

    // ---- the effect of each parameter

    @Test
    void bufferSizeIsTheBatchSizeOfOutgoingStreamData() throws Exception {
        try (QpClient keep = authed(false)) {
            assertThat(put("{\"buffer_size\": 4096}").statusCode()).isEqualTo(200);
            assertThat(streamMessages(64, 1000)).isEqualTo(16); // 4 frames of 1007 bytes per 4 KiB message
            assertThat(put("{\"buffer_size\": 65536}").statusCode()).isEqualTo(200);
            assertThat(streamMessages(64, 1000)).isEqualTo(1); // all 64 frames (64,448 bytes) in one message
            ProtocolTest.assertEchoWorks(keep); // the session opened before both changes is still served
        }
    }

    /** WebSocket messages that carried the STREAM frames of one stream command. */
    private int streamMessages(int count, int size) throws Exception {
        try (RawWs ws = new RawWs(gw.uri())) {
            ws.send(qp.protocol.frame.FrameEncoder.encode(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8)));
            ws.send(qp.protocol.frame.FrameEncoder.encode(MessageType.COMMAND,
                    ("{\"id\":1,\"op\":\"stream\",\"args\":{\"count\":" + count + ",\"size\":" + size + "}}").getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).until(() -> ws.messages.size() >= 2
                    && lastFrame(ws.messages.get(ws.messages.size() - 1)).type() == MessageType.ACK);
            int streamMessages = 0;
            int streamFrames = 0;
            for (byte[] m : ws.messages) {
                Frame[] frames = FrameReader.readAll(java.nio.ByteBuffer.wrap(m), Long.MAX_VALUE);
                long n = java.util.Arrays.stream(frames).filter(f -> f.type() == MessageType.STREAM).count();
                if (n > 0) {
                    streamMessages++;
                    streamFrames += (int) n;
                    assertThat(m.length).isLessThanOrEqualTo((int) gw.params().params().bufferSizeBytes());
                }
            }
            assertThat(streamFrames).isEqualTo(count);
            return streamMessages;
        }
    }

    private static Frame lastFrame(byte[] message) throws Exception {
        Frame[] f = FrameReader.readAll(java.nio.ByteBuffer.wrap(message), Long.MAX_VALUE);
        return f[f.length - 1];
    }

    /**
     * heartbeat_interval set through the admin API reaches a session that is already open: its HEARTBEAT comes after
     * the new 15 s of silence, not the default 30 s, and the close (1001) after twice the new interval. This gateway
     * runs on a {@link ManualClock}, so the test steps time to exactly those points instead of waiting for them; the
     * class's shared gateway keeps real time for its metrics sampler.
     */
    @Test
    void heartbeatIntervalSetsWhenTheServerSpeaksUp() throws Exception {
        ManualClock clock = new ManualClock();
        CollectingEmitter events = new CollectingEmitter();
        try (GatewayServer stepped = GatewayServer.start(TestGateways.config().clock(clock).timers(clock).build(), events);
                QpClient c = TestGateways.authed(stepped)) { // AUTH is the client's last frame: silence counts from it
            await().atMost(WAIT).until(() -> clock.pending() == 1); // the session's heartbeat, armed on the old 30 s
            long armed = clock.scheduledTotal();
            HttpResponse<String> r = new AdminHttp(stepped.adminUri())
                    .put("/params", "{\"heartbeat_interval\": 15000}", TestGateways.ADMIN_TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> clock.scheduledTotal() > armed); // the open session re-armed its timer

            clock.advance(Duration.ofMillis(14_999));
            assertThat(serverHeartbeats(events)).as("no HEARTBEAT before the new interval").isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(c.next(WAIT).type()).as("a HEARTBEAT at 15 s, where the old 30 s would send none")
                    .isEqualTo(MessageType.HEARTBEAT);
            assertThat(serverHeartbeats(events)).isEqualTo(1);

            clock.advance(Duration.ofMillis(14_999)); // the client stays silent
            assertThat(c.isOpen()).as("open until twice the new interval").isTrue();
            assertThat(stepped.metrics().heartbeatTimeoutsTotal()).isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(c.awaitClose(WAIT).code()).isEqualTo(1001);
        }
    }

    private static long serverHeartbeats(CollectingEmitter events) {
        return events.frames().stream()
                .filter(e -> e.direction() == Direction.OUT && e.type().equals(MessageType.HEARTBEAT.name())).count();
    }

    @Test
    void compressionThresholdDecidesWhatIsCompressed() throws Exception {
        try (QpClient c = authed(true)) {
            var args = QpJson.object().put("text", "x".repeat(600));
            c.sendCommand(1, "echo", args);
            assertThat(c.next(WAIT).compressed()).as("off by default").isFalse();
            assertThat(put("{\"compression_threshold\": 256}").statusCode()).isEqualTo(200);
            c.sendCommand(2, "echo", args);
            Frame f = c.next(WAIT);
            assertThat(f.compressed()).isTrue();
            assertThat(QpJson.treeOf(f.payload()).path("result")).isEqualTo(args);
            assertThat(put("{\"compression_threshold\": 4096}").statusCode()).isEqualTo(200);
            c.sendCommand(3, "echo", args);
            assertThat(c.next(WAIT).compressed()).as("below the threshold").isFalse();
            assertThat(put("{\"compression_threshold\": \"off\"}").statusCode()).isEqualTo(200);
            c.sendCommand(4, "echo", QpJson.object().put("text", "x".repeat(8000)));
            assertThat(c.next(WAIT).compressed()).isFalse();
        }
    }

    @Test
    void maxConnectionsRefusesTheOneTooMany() throws Exception {
        await().atMost(WAIT).until(() -> gw.sessions() == 0);
        List<QpClient> clients = new ArrayList<>();
        try {
            clients.add(authed(false));
            assertThat(put("{\"max_connections\": 2}").statusCode()).isEqualTo(200);
            clients.add(authed(false));
            QpClient third = QpClient.connect(gw.uri());
            clients.add(third);
            Frame err = third.next(WAIT);
            assertThat(err.type()).isEqualTo(MessageType.ERROR);
            assertThat(QpJson.treeOf(err.payload()).path("code").asText()).isEqualTo("OVERLOADED");
            assertThat(third.awaitClose(WAIT).code()).isEqualTo(1013);
            ProtocolTest.assertEchoWorks(clients.get(0));
            ProtocolTest.assertEchoWorks(clients.get(1));
            assertThat(put("{\"max_connections\": 3}").statusCode()).isEqualTo(200);
            clients.add(authed(false)); // room again
            assertThat(gw.sessions()).isEqualTo(3);
            // lowering the limit below the open sessions drops none of them; it only refuses new ones
            assertThat(put("{\"max_connections\": 1}").statusCode()).isEqualTo(200);
            ProtocolTest.assertEchoWorks(clients.get(0));
            ProtocolTest.assertEchoWorks(clients.get(3));
        } finally {
            clients.forEach(QpClient::close);
        }
    }

    @Test
    void maxFrameBytesBoundsAcceptedFrames() throws Exception {
        try (QpClient before = authed(false)) {
            assertThat(put("{\"max_frame_bytes\": 1024}").statusCode()).isEqualTo(200);
            before.send(MessageType.DATA, new byte[1024]);
            assertThat(QpJson.treeOf(before.next(WAIT).payload()).path("bytes").asInt()).isEqualTo(1024);
            try (QpClient c = authed(false)) {
                c.send(MessageType.DATA, new byte[1025]);
                ProtocolTest.assertErrorThenClose(c, "FRAME_TOO_LARGE", 1009);
            }
            assertThat(put("{\"max_frame_bytes\": 4096}").statusCode()).isEqualTo(200);
            before.send(MessageType.DATA, new byte[2000]);
            assertThat(QpJson.treeOf(before.next(WAIT).payload()).path("bytes").asInt()).isEqualTo(2000);
        }
    }

    @Test
    void defaultsMatchProtocolMd() {
        assertThat(TunableParams.defaults()).isEqualTo(new TunableParams(8192, 30_000, 0, 100, 1_048_576));
    }
}
