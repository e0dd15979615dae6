package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import qp.gateway.testing.AdminHttp;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.ManualClock;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;
import qp.testsupport.experiments.ReferenceArms;

/**
 * Session-level experiments on real sockets: each session runs with its arm's value, the arm being the one the test
 * computes itself ({@link ReferenceArms}) from the session id the gateway gave in its AUTH ACK. Sessions already
 * open when an experiment starts switch too; frame events carry the experiment, arm and bucket.
 */
class SessionExperimentTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Compresses to a fraction of its 2,000 bytes: above the treatment's 1024-byte threshold. */
    static final ObjectNode LARGE = QpJson.object().put("text", "compressible ".repeat(160));

    /** A client that asked for compression, and the session id its AUTH ACK named. */
    record Client(QpClient qp, String sessionId) implements AutoCloseable {
        @Override
        public void close() {
            qp.close();
        }
    }

    static Client connect(GatewayServer gw) throws Exception {
        QpClient c = QpClient.connect(gw.uri());
        c.send(MessageType.AUTH, ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":true}")
                .getBytes(StandardCharsets.UTF_8));
        Frame ack = c.next(WAIT);
        assertThat(ack.type()).isEqualTo(MessageType.ACK);
        return new Client(c, QpJson.treeOf(ack.payload()).path("session").asText());
    }

    /** Whether the reply to a large echo came compressed. */
    static boolean echoCompressed(Client c, long id) throws Exception {
        c.qp().sendCommand(id, "echo", LARGE);
        Frame reply = c.qp().next(WAIT);
        assertThat(reply.type()).isEqualTo(MessageType.ACK);
        assertThat(QpJson.treeOf(reply.payload()).path("result")).isEqualTo(LARGE);
        return reply.compressed();
    }

    static JsonNode json(HttpResponse<String> r) {
        return QpJson.treeOf(r.body().getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> admin(GatewayServer gw, String method, String path, String body) throws Exception {
        return new AdminHttp(gw.adminUri()).send(method, path, body, TestGateways.ADMIN_TOKEN, null);
    }

    @Test
    void compressionThresholdPerSessionArmThenAdoptedThenEndedOnControl() throws Exception {
        CollectingEmitter events = new CollectingEmitter();
        List<Client> clients = new ArrayList<>();
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().build(), events)) {
            for (int i = 0; i < 20; i++) {
                clients.add(connect(gw));
            }
            assertThat(echoRound(events, clients, 1).values()).as("compression_threshold is off").containsOnly(false);
            assertThat(echoEvents(events)).allSatisfy(e -> {
                assertThat(e.experimentId()).isNull();
                assertThat(e.arm()).isNull();
                assertThat(e.bucket()).isNull();
            });

            String id = "ct-off-1024";
            HttpResponse<String> started = admin(gw, "POST", "/experiment", "{\"id\": \"" + id + "\", \"parameter\":"
                    + " \"compression_threshold\", \"treatment\": 1024, \"treatmentShare\": 0.5}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            for (int i = 0; i < 20; i++) {
                clients.add(connect(gw)); // the other half opens while the experiment runs
            }
            Set<String> treatment = clients.stream().map(Client::sessionId)
                    .filter(s -> ReferenceArms.treatment(id, s, 0.5)).collect(Collectors.toSet());
            assertThat(treatment).as("40 sessions at share 0.5 fall in both arms").isNotEmpty()
                    .hasSizeLessThan(clients.size());

            Map<String, Boolean> compressed = echoRound(events, clients, 2);
            assertThat(compressed.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                    .collect(Collectors.toSet()))
                    .as("exactly the treatment sessions compress, the 20 opened before the start among them")
                    .isEqualTo(treatment);
            JsonNode sessions = json(admin(gw, "GET", "/experiment", null)).path("experiment").path("sessions");
            assertThat(sessions.path("treatment").asInt()).isEqualTo(treatment.size());
            assertThat(sessions.path("control").asInt()).isEqualTo(clients.size() - treatment.size());
            // every event of the echo, both ways, names the experiment, the session's arm and its bucket
            assertThat(echoEvents(events)).allSatisfy(e -> {
                assertThat(e.experimentId()).isEqualTo(id);
                assertThat(e.arm()).as(e.sessionId()).isEqualTo(ReferenceArms.arm(id, e.sessionId(), 0.5));
                assertThat(e.bucket()).isEqualTo(ReferenceArms.bucket(id, e.sessionId()));
                assertThat(e.compressed())
                        .isEqualTo(e.direction() == Direction.OUT && treatment.contains(e.sessionId()));
            });

            HttpResponse<String> adopted = admin(gw, "DELETE", "/experiment?outcome=adopt", null);
            assertThat(adopted.statusCode()).as(adopted.body()).isEqualTo(200);
            assertThat(echoRound(events, clients, 3).values()).as("adopted: every session compresses")
                    .containsOnly(true);
            JsonNode params = json(admin(gw, "GET", "/params", null));
            assertThat(params.path("params").path("compression_threshold").asLong()).isEqualTo(1024);
            assertThat(params.has("experiment")).isFalse();
            assertThat(echoEvents(events)).allSatisfy(e -> assertThat(e.experimentId()).isNull());

            // a second experiment, off for a share of sessions, ended on control: nobody ends up compressing
            assertThat(admin(gw, "PUT", "/params", "{\"compression_threshold\": \"off\"}").statusCode()).isEqualTo(200);
            String second = "ct-again";
            assertThat(admin(gw, "POST", "/experiment", "{\"id\": \"" + second + "\", \"parameter\": "
                    + "\"compression_threshold\", \"treatment\": 1024, \"treatmentShare\": 0.5}").statusCode())
                    .isEqualTo(201);
            Client inTreatment = clients.stream().filter(c -> ReferenceArms.treatment(second, c.sessionId(), 0.5))
                    .findFirst().orElseThrow();
            assertThat(echoCompressed(inTreatment, 4)).isTrue();
            assertThat(admin(gw, "DELETE", "/experiment?outcome=control", null).statusCode()).isEqualTo(200);
            assertThat(echoRound(events, clients, 5).values()).as("ended on control: off for everyone")
                    .containsOnly(false);
            assertThat(json(admin(gw, "GET", "/params", null)).path("params").path("compression_threshold").asText())
                    .isEqualTo("off");
        } finally {
            clients.forEach(Client::close);
        }
    }

    /**
     * One large echo per client: which sessions got their reply compressed. Returns once the round's events (the
     * COMMAND IN and ACK OUT of each, and nothing older) are all in {@code events}.
     */
    private static Map<String, Boolean> echoRound(CollectingEmitter events, List<Client> clients, long id)
            throws Exception {
        events.clear();
        Map<String, Boolean> compressed = new LinkedHashMap<>();
        for (Client c : clients) {
            compressed.put(c.sessionId(), echoCompressed(c, id));
        }
        await().atMost(WAIT).until(() -> echoEvents(events).size() == 2 * clients.size());
        return compressed;
    }

    private static List<FrameEvent> echoEvents(CollectingEmitter events) {
        return events.frames().stream().filter(e -> "echo".equals(e.op())).collect(Collectors.toList());
    }

    /**
     * heartbeat_interval 30 s -> 15 s for half the sessions, on a clock the test moves: at 15 s of silence exactly
     * the treatment sessions get the server's HEARTBEAT, at 30 s the control ones. Sessions open before the start
     * re-arm their timer; sessions opened after it arm on their arm's interval once AUTH identifies them.
     */
    @Test
    void heartbeatIntervalPerSessionArm() throws Exception {
        ManualClock clock = new ManualClock();
        CollectingEmitter events = new CollectingEmitter();
        String id = "hb-15s";
        List<Client> clients = new ArrayList<>();
        try (GatewayServer gw = GatewayServer.start(TestGateways.config().clock(clock).timers(clock).build(), events)) {
            for (int i = 0; i < 4; i++) {
                clients.add(connect(gw));
            }
            long armed = clock.scheduledTotal();
            assertThat(admin(gw, "POST", "/experiment", "{\"id\": \"" + id + "\", \"parameter\": "
                    + "\"heartbeat_interval\", \"treatment\": 15000, \"treatmentShare\": 0.5}").statusCode())
                    .isEqualTo(201);
            await().atMost(WAIT).until(() -> clock.scheduledTotal() >= armed + 4); // the open sessions re-armed
            // opened until both arms have three: a session id is random, so the count needed varies, the outcome not
            while (inArm(clients, id, true) < 3 || inArm(clients, id, false) < 3) {
                assertThat(clients).as("64 sessions without three in each arm at share 0.5").hasSizeLessThan(64);
                clients.add(connect(gw));
            }
            Set<String> treatment = clients.stream().map(Client::sessionId)
                    .filter(s -> ReferenceArms.treatment(id, s, 0.5)).collect(Collectors.toSet());
            Set<String> control = clients.stream().map(Client::sessionId)
                    .filter(s -> !treatment.contains(s)).collect(Collectors.toSet());

            clock.advance(Duration.ofMillis(14_999));
            assertThat(heartbeatsTo(events)).isEmpty();
            clock.advance(Duration.ofMillis(1)); // the timers that fall due have run when advance returns
            assertThat(heartbeatsTo(events).keySet()).as("HEARTBEAT at 15 s: the treatment sessions")
                    .isEqualTo(treatment);
            assertThat(heartbeatsTo(events).values()).allSatisfy(e -> {
                assertThat(e.experimentId()).isEqualTo(id);
                assertThat(e.arm()).isEqualTo("treatment");
                assertThat(e.bucket()).isEqualTo(ReferenceArms.bucket(id, e.sessionId()));
            });
            for (Client c : clients) {
                if (treatment.contains(c.sessionId())) {
                    assertThat(c.qp().next(WAIT).type()).isEqualTo(MessageType.HEARTBEAT);
                }
            }

            clock.advance(Duration.ofMillis(15_000));
            Map<String, FrameEvent> at30s = heartbeatsTo(events);
            assertThat(at30s.keySet()).as("HEARTBEAT at 30 s: the control sessions too").containsAll(control);
            assertThat(control).allSatisfy(s -> assertThat(at30s.get(s).arm()).isEqualTo("control"));
        } finally {
            clients.forEach(Client::close);
        }
    }

    private static long inArm(List<Client> clients, String id, boolean treatment) {
        return clients.stream().filter(c -> ReferenceArms.treatment(id, c.sessionId(), 0.5) == treatment).count();
    }

    /** The server's own HEARTBEATs (OUT, answering nothing), by session. */
    private static Map<String, FrameEvent> heartbeatsTo(CollectingEmitter events) {
        Map<String, FrameEvent> by = new LinkedHashMap<>();
        for (FrameEvent e : events.frames()) {
            if (e.direction() == Direction.OUT && e.type().equals("HEARTBEAT")) {
                by.putIfAbsent(e.sessionId(), e);
            }
        }
        return by;
    }
}
