package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.json.QpJson;

/** PROTOCOL.md, case by case, against a gateway on loopback: the session, the commands, each frame type ({@link ProtocolMessagesTest}: batching, server compression, events). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolTest {
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
        return QpJson.treeOf(f.payload());
    }

    static void assertError(Frame f, String code) {
        assertThat(f.type()).isEqualTo(MessageType.ERROR);
        JsonNode j = json(f);
        assertThat(j.path("code").asText()).isEqualTo(code);
        assertThat(j.path("message").isTextual()).isTrue();
        assertThat(j.path("message").asText()).isNotBlank();
    }

    static void assertErrorThenClose(QpClient c, String code, int closeCode) throws Exception {
        assertError(c.next(WAIT), code);
        assertThat(c.awaitClose(WAIT).code()).isEqualTo(closeCode);
    }

    // ---- session: AUTH

    @Test
    void plainTokenIsAcknowledgedWithASessionId() throws Exception {
        try (QpClient c = connect()) {
            Frame ack = c.auth(TestGateways.TOKEN);
            assertThat(ack.type()).isEqualTo(MessageType.ACK);
            JsonNode j = json(ack);
            assertThat(j.size()).isEqualTo(1);
            assertThat(j.path("session").asText()).isNotBlank();
        }
    }

    @Test
    void jsonTokenIsAcknowledged() throws Exception {
        try (QpClient c = connect()) {
            c.send(MessageType.AUTH, ("{\"token\":\"" + TestGateways.TOKEN + "\",\"compression\":true}").getBytes(StandardCharsets.UTF_8));
            Frame ack = c.next(WAIT);
            assertThat(ack.type()).isEqualTo(MessageType.ACK);
            assertThat(json(ack).path("session").asText()).isNotBlank();
        }
    }

    @Test
    void sessionIdsDiffer() throws Exception {
        try (QpClient a = connect(); QpClient b = connect()) {
            assertThat(json(a.auth(TestGateways.TOKEN)).path("session").asText())
                    .isNotEqualTo(json(b.auth(TestGateways.TOKEN)).path("session").asText());
        }
    }

    @Test
    void badPlainTokenFailsAndCloses1008() throws Exception {
        try (QpClient c = connect()) {
            c.send(MessageType.AUTH, "wrong".getBytes(StandardCharsets.UTF_8));
            assertErrorThenClose(c, "AUTH_FAILED", 1008);
        }
    }

    @Test
    void badJsonTokenFailsAndCloses1008() throws Exception {
        try (QpClient c = connect()) {
            c.send(MessageType.AUTH, "{\"token\":\"nope\"}".getBytes(StandardCharsets.UTF_8));
            assertErrorThenClose(c, "AUTH_FAILED", 1008);
        }
    }

    @Test
    void theAdminTokenIsNoClientToken() throws Exception {
        try (QpClient c = connect()) {
            c.send(MessageType.AUTH, TestGateways.ADMIN_TOKEN.getBytes(StandardCharsets.UTF_8));
            assertErrorThenClose(c, "AUTH_FAILED", 1008);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"COMMAND", "DATA", "STREAM"})
    void workBeforeAuthIsUnauthenticated1008(MessageType type) throws Exception {
        try (QpClient c = connect()) {
            byte[] payload = type == MessageType.COMMAND
                    ? "{\"id\":1,\"op\":\"echo\"}".getBytes(StandardCharsets.UTF_8) : new byte[] {1, 2, 3};
            c.send(type, payload);
            assertErrorThenClose(c, "UNAUTHENTICATED", 1008);
        }
    }

    // ---- HEARTBEAT

    @Test
    void heartbeatIsEchoedWithIdenticalPayloadEvenBeforeAuth() throws Exception {
        try (QpClient c = connect()) {
            byte[] payload = {0, 1, 2, (byte) 0xff, 42};
            c.send(MessageType.HEARTBEAT, payload);
            Frame f = c.next(WAIT);
            assertThat(f.type()).isEqualTo(MessageType.HEARTBEAT);
            assertThat(f.payload()).isEqualTo(payload);
            c.send(MessageType.HEARTBEAT, new byte[0]);
            Frame empty = c.next(WAIT);
            assertThat(empty.type()).isEqualTo(MessageType.HEARTBEAT);
            assertThat(empty.payload()).isEmpty();
            assertThat(c.isOpen()).isTrue();
        }
    }

    // ---- COMMAND

    @Test
    void echoReturnsArgsUnchanged() throws Exception {
        try (QpClient c = authed()) {
            String args = "{\"b\": [1, 2.5, \"x\"], \"a\": {\"nested\": null}}";
            c.send(MessageType.COMMAND, ("{\"id\": 9007199254740993, \"op\": \"echo\", \"args\": " + args + "}")
                    .getBytes(StandardCharsets.UTF_8));
            Frame f = c.next(WAIT);
            assertThat(f.type()).isEqualTo(MessageType.ACK);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":9007199254740993,\"result\":" + args + "}");
        }
    }

    @Test
    void echoWithoutArgsReturnsAnEmptyObject() throws Exception {
        try (QpClient c = authed()) {
            c.sendCommand(3, "echo", null);
            JsonNode j = json(c.next(WAIT));
            assertThat(j.path("id").asLong()).isEqualTo(3);
            assertThat(j.path("result").isObject()).isTrue();
            assertThat(j.path("result").size()).isZero();
        }
    }

    @Test
    void pingAnswersServerTime() throws Exception {
        try (QpClient c = authed()) {
            long before = System.currentTimeMillis();
            c.sendCommand(-5, "ping", null);
            Frame f = c.next(WAIT);
            long after = System.currentTimeMillis();
            JsonNode j = json(f);
            assertThat(f.type()).isEqualTo(MessageType.ACK);
            assertThat(j.path("id").asLong()).isEqualTo(-5);
            assertThat(j.path("result").path("ts").asLong()).isBetween(before, after);
        }
    }

    @Test
    void streamSendsCountFramesOfSizeThenAck() throws Exception {
        try (QpClient c = authed()) {
            c.sendCommand(11, "stream", QpJson.object().put("count", 5).put("size", 300));
            for (int i = 0; i < 5; i++) {
                Frame f = c.next(WAIT);
                assertThat(f.type()).isEqualTo(MessageType.STREAM);
                assertThat(f.payload()).hasSize(300);
            }
            Frame ack = c.next(WAIT);
            assertThat(ack.type()).isEqualTo(MessageType.ACK);
            assertThat(json(ack).path("id").asLong()).isEqualTo(11);
            assertThat(json(ack).path("result").path("count").asInt()).isEqualTo(5);
        }
    }

    static Stream<Arguments> absurdStreams() {
        return Stream.of(
                Arguments.of("{\"count\": -1, \"size\": 10}"),
                Arguments.of("{\"count\": 1000000000, \"size\": 10}"),
                Arguments.of("{\"count\": 10, \"size\": 100000000}"),
                Arguments.of("{\"count\": 10000, \"size\": 1048576}"),
                Arguments.of("{\"count\": \"many\", \"size\": 10}"),
                Arguments.of("{\"size\": 10}"),
                Arguments.of("{}"));
    }

    @ParameterizedTest
    @MethodSource("absurdStreams")
    void absurdStreamArgsAreBadArgsAndTheSessionStaysOpen(String args) throws Exception {
        try (QpClient c = authed()) {
            c.send(MessageType.COMMAND, ("{\"id\":4,\"op\":\"stream\",\"args\":" + args + "}").getBytes(StandardCharsets.UTF_8));
            Frame f = c.next(WAIT);
            assertError(f, "BAD_ARGS");
            assertThat(json(f).path("id").asLong()).isEqualTo(4);
            assertEchoWorks(c);
        }
    }

    @Test
    void unknownOpIsAnErrorWithTheIdAndTheSessionStaysOpen() throws Exception {
        try (QpClient c = authed()) {
            c.sendCommand(77, "no.such.op", QpJson.object());
            Frame f = c.next(WAIT);
            assertError(f, "UNKNOWN_OP");
            assertThat(json(f).path("id").asLong()).isEqualTo(77);
            assertEchoWorks(c);
        }
    }

    static void assertEchoWorks(QpClient c) throws Exception {
        ObjectNode args = QpJson.object().put("still", "open");
        c.sendCommand(1234, "echo", args);
        Frame f = c.next(WAIT);
        assertThat(f.type()).isEqualTo(MessageType.ACK);
        assertThat(json(f).path("id").asLong()).isEqualTo(1234);
        assertThat(json(f).path("result")).isEqualTo(args);
    }

    // ---- DATA, STREAM, ERROR from the client

    @Test
    void dataIsAcknowledgedWithItsSize() throws Exception {
        try (QpClient c = authed()) {
            c.send(MessageType.DATA, new byte[1500]);
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isEqualTo(1500);
            c.send(MessageType.DATA, new byte[0]);
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isZero();
        }
    }

    @Test
    void compressedDataCountsBytesAfterDecompression() throws Exception {
        try (QpClient c = authed()) {
            byte[] raw = new byte[5000];
            Arrays.fill(raw, (byte) 'a');
            c.send(FrameEncoder.encode(MessageType.DATA, raw, true));
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isEqualTo(5000);
        }
    }

    @Test
    void compressedEmptyPayloadIsAccepted() throws Exception {
        try (QpClient c = authed()) {
            c.send(FrameEncoder.encode(MessageType.DATA, new byte[0], true));
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isZero();
        }
    }

    @Test
    void streamAndErrorFromTheClientGetNoReply() throws Exception {
        try (QpClient c = authed()) {
            double errorsBefore = gw.registry().get("qp.frames").tag("direction", "in").tag("type", "ERROR").counter().count();
            c.send(MessageType.STREAM, new byte[100]);
            c.send(MessageType.ERROR, "{\"code\":\"CLIENT_SIDE\",\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            assertEchoWorks(c); // the echo ACK is the very next frame: nothing answered STREAM or ERROR
            assertThat(gw.registry().get("qp.frames").tag("direction", "in").tag("type", "ERROR").counter().count())
                    .isEqualTo(errorsBefore + 1);
        }
    }

    @Test
    void compressedCommandIsAccepted() throws Exception {
        try (QpClient c = authed()) {
            byte[] cmd = "{\"id\":8,\"op\":\"echo\",\"args\":{\"z\":\"zzzzzzzzzzzzzzzzzzzzzzzzzzzz\"}}".getBytes(StandardCharsets.UTF_8);
            c.send(FrameEncoder.encode(MessageType.COMMAND, cmd, true));
            Frame f = c.next(WAIT);
            assertThat(json(f).path("result").path("z").asText()).hasSize(28);
            assertThat(f.compressed()).isFalse(); // this session did not ask for compression
        }
    }
}
