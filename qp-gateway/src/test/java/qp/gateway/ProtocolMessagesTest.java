package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/**
 * PROTOCOL.md's message rules against a gateway on loopback: several frames in one message (and one message in
 * several WebSocket fragments), compression by the server, and the event each frame in and out becomes.
 * {@link ProtocolTest} has the session, the commands and the frame types.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolMessagesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    final CollectingEmitter emitter = new CollectingEmitter();
    GatewayServer gw;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().build(), emitter);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    QpClient connect() {
        return QpClient.connect(gw.uri());
    }

    QpClient authed() throws Exception {
        return TestGateways.authed(gw);
    }

    static JsonNode json(Frame f) {
        return ProtocolTest.json(f);
    }

    static void assertErrorThenClose(QpClient c, String code, int closeCode) throws Exception {
        ProtocolTest.assertErrorThenClose(c, code, closeCode);
    }

    // ---- batching

    @Test
    void oneMessageMayCarrySeveralFrames() throws Exception {
        try (QpClient c = authed()) {
            c.send(FrameEncoder.concat(
                    FrameEncoder.encode(MessageType.COMMAND, "{\"id\":1,\"op\":\"echo\",\"args\":{\"n\":1}}".getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.encode(MessageType.HEARTBEAT, new byte[] {7}),
                    FrameEncoder.encode(MessageType.DATA, new byte[10]),
                    FrameEncoder.encode(MessageType.COMMAND, "{\"id\":2,\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8))));
            assertThat(json(c.next(WAIT)).path("id").asInt()).isEqualTo(1);
            assertThat(c.next(WAIT).payload()).containsExactly(7);
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isEqualTo(10);
            assertThat(json(c.next(WAIT)).path("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aMessageSentInWebSocketFragmentsIsOneMessage() throws Exception {
        try (qp.gateway.testing.RawWs ws = new qp.gateway.testing.RawWs(gw.uri())) {
            byte[] msg = FrameEncoder.concat(
                    FrameEncoder.encode(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.encode(MessageType.DATA, new byte[3000]),
                    FrameEncoder.encode(MessageType.DATA, new byte[10]));
            // fragments split inside a header and inside a payload
            int[] cuts = {0, 5, 20, 1500, msg.length};
            for (int i = 0; i + 1 < cuts.length; i++) {
                ws.ws.sendBinary(ByteBuffer.wrap(msg, cuts[i], cuts[i + 1] - cuts[i]), i + 2 == cuts.length).join();
            }
            await().atMost(WAIT).until(() -> ws.messages.size() >= 3);
            assertThat(json(FrameReaderHelper.only(ws.messages.get(1))).path("bytes").asInt()).isEqualTo(3000);
            assertThat(json(FrameReaderHelper.only(ws.messages.get(2))).path("bytes").asInt()).isEqualTo(10);
            assertThat(ws.closeCode).isNotDone();
        }
    }

    static final class FrameReaderHelper {
        static Frame only(byte[] message) throws Exception {
            Frame[] f = qp.protocol.frame.FrameReader.readAll(ByteBuffer.wrap(message), Long.MAX_VALUE);
            assertThat(f).hasSize(1);
            return f[0];
        }
    }

    @Test
    void authAndCommandInOneMessage() throws Exception {
        try (QpClient c = connect()) {
            c.send(FrameEncoder.concat(
                    FrameEncoder.encode(MessageType.AUTH, TestGateways.TOKEN.getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.encode(MessageType.COMMAND, "{\"id\":5,\"op\":\"echo\"}".getBytes(StandardCharsets.UTF_8))));
            assertThat(c.next(WAIT).type()).isEqualTo(MessageType.ACK);
            assertThat(json(c.next(WAIT)).path("id").asInt()).isEqualTo(5);
        }
    }

    @Test
    void framesBeforeABadOneAreHandledThenTheError() throws Exception {
        try (QpClient c = authed()) {
            byte[] bad = {0x51, 0x51, 1, 0, 0, 0, 0};
            c.send(FrameEncoder.concat(
                    FrameEncoder.encode(MessageType.COMMAND, "{\"id\":1,\"op\":\"echo\",\"args\":{}}".getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.encode(MessageType.DATA, new byte[3]),
                    bad,
                    FrameEncoder.encode(MessageType.DATA, new byte[3])));
            assertThat(json(c.next(WAIT)).path("id").asInt()).isEqualTo(1);
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isEqualTo(3);
            assertErrorThenClose(c, "BAD_FRAME", 1002);
        }
    }

    // ---- compression by the server

    @Test
    void serverCompressesOnlyForSessionsThatAskedAndAboveTheThreshold() throws Exception {
        gw.params().apply(java.util.Map.of(qp.protocol.params.TunableParameter.COMPRESSION_THRESHOLD, 512L));
        try (QpClient asked = connect(); QpClient plain = authed()) {
            asked.send(MessageType.AUTH, ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":true}").getBytes(StandardCharsets.UTF_8));
            assertThat(asked.next(WAIT).compressed()).isFalse(); // the ACK is far below 512 bytes
            ObjectNode big = QpJson.object().put("text", "q".repeat(2000));
            ObjectNode small = QpJson.object().put("text", "q".repeat(10));
            asked.sendCommand(1, "echo", big);
            Frame f = asked.next(WAIT);
            assertThat(f.compressed()).isTrue();
            assertThat(f.wireBytes()).isLessThan(f.rawBytes());
            assertThat(json(f).path("result")).isEqualTo(big);
            asked.sendCommand(2, "echo", small);
            assertThat(asked.next(WAIT).compressed()).isFalse();
            plain.sendCommand(3, "echo", big);
            assertThat(plain.next(WAIT).compressed()).isFalse();
        } finally {
            gw.params().apply(java.util.Map.of(qp.protocol.params.TunableParameter.COMPRESSION_THRESHOLD, 0L));
        }
    }

    // ---- events

    @Test
    void everyFrameInAndOutIsAnEvent() throws Exception {
        long t0 = System.currentTimeMillis();
        try (QpClient c = connect()) {
            c.auth(TestGateways.TOKEN);
            c.sendCommand(1, "echo", QpJson.object().put("a", 1));
            c.next(WAIT);
            c.sendCommand(2, "nope", null);
            c.next(WAIT);
            c.send(MessageType.DATA, new byte[5]);
            c.next(WAIT);
            c.send(new byte[] {9, 9, 9, 9, 9, 9, 9});
            assertErrorThenClose(c, "BAD_FRAME", 1002);
        }
        await().atMost(WAIT).until(() -> connectionWith(10).isPresent());
        List<FrameEvent> ev = connectionWith(10).orElseThrow();
        // seq follows arrival: a frame's IN event takes its number on receipt, its reply the next one
        assertThat(ev).extracting(FrameEvent::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(ev).extracting(e -> e.direction() + " " + e.type() + " " + e.op() + " " + e.outcome()).containsExactly(
                "IN AUTH null ok", "OUT ACK null ok",
                "IN COMMAND echo ok", "OUT ACK echo ok",
                "IN COMMAND nope UNKNOWN_OP", "OUT ERROR nope UNKNOWN_OP",
                "IN DATA null ok", "OUT ACK null ok",
                "IN INVALID null BAD_FRAME", "OUT ERROR null BAD_FRAME");
        String session = ev.get(1).sessionId();
        assertThat(session).isNotBlank();
        assertThat(ev).allSatisfy(e -> {
            assertThat(e.nodeId()).isEqualTo("test-node");
            assertThat(e.sessionId()).isEqualTo(session);
            assertThat(e.paramVersion()).isEqualTo(gw.params().version());
            assertThat(e.eventTimeMillis()).isBetween(t0, System.currentTimeMillis());
            assertThat(e.latencyMicros()).isGreaterThanOrEqualTo(0);
            assertThat(e.compressed()).isFalse();
        });
        for (int i = 0; i < 10; i += 2) {
            // both end when the reply is written, read from the clock once
            assertThat(ev.get(i).latencyMicros()).as("IN latency is its reply's").isEqualTo(ev.get(i + 1).latencyMicros());
        }
        assertThat(ev.get(6).wireBytes()).isEqualTo(12);
        assertThat(ev.get(6).rawBytes()).isEqualTo(5);
        assertThat(ev.get(7).rawBytes()).isEqualTo("{\"bytes\":5}".length());
        assertThat(ev.get(8).wireBytes()).isEqualTo(7);
        assertThat(ev.get(8).rawBytes()).isZero();
        assertThat(ev.get(8).isError()).isTrue();
    }

    private java.util.Optional<List<FrameEvent>> connectionWith(int n) {
        return emitter.frames().stream().map(FrameEvent::connectionId).distinct()
                .map(emitter::frames)
                .filter(l -> l.size() == n && l.stream().anyMatch(e -> "IN".equals(e.direction().name()) && "DATA".equals(e.type()) && e.rawBytes() == 5))
                .findFirst()
                .map(l -> l.stream().sorted(java.util.Comparator.comparingLong(FrameEvent::seq)).toList());
    }
}
