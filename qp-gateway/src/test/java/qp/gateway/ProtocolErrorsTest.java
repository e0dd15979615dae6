package qp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
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
import org.junit.jupiter.params.provider.MethodSource;
import qp.gateway.testing.CollectingEmitter;
import qp.gateway.testing.TestGateways;
import qp.client.QpClient;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameEncoder;
import qp.protocol.frame.MessageType;
import qp.protocol.frame.Zlib;

/** PROTOCOL.md's error table, row by row: the exact ERROR and close code, and no harm to anyone else. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolErrorsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    GatewayServer gw;

    @BeforeAll
    void start() {
        gw = GatewayServer.start(TestGateways.config().build(), new CollectingEmitter());
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

    static void assertErrorThenClose(QpClient c, String code, int closeCode) throws Exception {
        ProtocolTest.assertErrorThenClose(c, code, closeCode);
    }

    static JsonNode json(Frame f) {
        return ProtocolTest.json(f);
    }

    static void assertEchoWorks(QpClient c) throws Exception {
        ProtocolTest.assertEchoWorks(c);
    }

    // ---- the error table

    static Stream<Arguments> badFrames() {
        byte[] echo = FrameEncoder.encode(MessageType.COMMAND, "{\"id\":1,\"op\":\"echo\"}".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("wrong magic", new byte[] {0x50, 0x51, 2, 0, 0, 0, 0}),
                Arguments.of("unknown type code 0x00", new byte[] {0x51, 0x50, 0, 0, 0, 0, 0}),
                Arguments.of("unknown type code 0x7f", new byte[] {0x51, 0x50, 0x7f, 0, 0, 0, 0}),
                Arguments.of("unknown compressed type 0x88", new byte[] {0x51, 0x50, (byte) 0x88, 0, 0, 0, 0}),
                Arguments.of("header cut short", new byte[] {0x51, 0x50, 2, 0}),
                Arguments.of("one stray byte", new byte[] {0x51}),
                Arguments.of("trailing bytes after a whole frame", FrameEncoder.concat(echo, new byte[] {0x51, 0x50})),
                Arguments.of("payload shorter than length", new byte[] {0x51, 0x50, 2, 0, 0, 0, 10, 1, 2, 3}),
                Arguments.of("not zlib", FrameEncoder.encodeRaw(MessageType.DATA, true, new byte[] {1, 2, 3, 4, 5})),
                Arguments.of("truncated zlib", FrameEncoder.encodeRaw(MessageType.DATA, true,
                        Arrays.copyOf(Zlib.compress(new byte[1000]), 5))),
                Arguments.of("COMMAND not JSON", cmd("not json")),
                Arguments.of("COMMAND JSON array", cmd("[1,2]")),
                Arguments.of("COMMAND without id", cmd("{\"op\":\"echo\"}")),
                Arguments.of("COMMAND without op", cmd("{\"id\":1}")),
                Arguments.of("COMMAND string id", cmd("{\"id\":\"1\",\"op\":\"echo\"}")),
                Arguments.of("COMMAND fractional id", cmd("{\"id\":1.5,\"op\":\"echo\"}")),
                Arguments.of("COMMAND id beyond int64", cmd("{\"id\":99999999999999999999,\"op\":\"echo\"}")),
                Arguments.of("COMMAND op not a string", cmd("{\"id\":1,\"op\":7}")),
                Arguments.of("COMMAND args not an object", cmd("{\"id\":1,\"op\":\"echo\",\"args\":[1]}")),
                Arguments.of("COMMAND cut short", cmd("{\"id\":1,\"op\":\"echo\"")),
                Arguments.of("COMMAND trailing garbage", cmd("{\"id\":1,\"op\":\"echo\"} x")),
                Arguments.of("COMMAND invalid UTF-8", FrameEncoder.encode(MessageType.COMMAND,
                        new byte[] {'{', '"', 'i', 'd', '"', ':', '1', ',', '"', 'o', 'p', '"', ':', '"', (byte) 0xff, '"', '}'})),
                Arguments.of("ACK from a client", FrameEncoder.encode(MessageType.ACK, "{}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("empty message", new byte[0]));
    }

    static byte[] cmd(String json) {
        return FrameEncoder.encode(MessageType.COMMAND, json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badFrameIsAnsweredAndCloses1002(String why, byte[] message) throws Exception {
        try (QpClient c = authed()) {
            c.send(message);
            if (why.startsWith("trailing")) {
                assertThat(c.next(WAIT).type()).isEqualTo(MessageType.ACK); // the whole frame before is handled
            }
            assertErrorThenClose(c, "BAD_FRAME", 1002);
        }
    }

    @Test
    void textMessageIsBadFrameClosed1003() throws Exception {
        try (QpClient c = authed()) {
            c.sendText("{\"id\":1,\"op\":\"echo\"}");
            assertErrorThenClose(c, "BAD_FRAME", 1003);
        }
    }

    @Test
    void textMessageBeforeAuthToo() throws Exception {
        try (QpClient c = connect()) {
            c.sendText("hello");
            assertErrorThenClose(c, "BAD_FRAME", 1003);
        }
    }

    @Test
    void declaredLengthOverMaxFrameBytesIsTooLarge1009() throws Exception {
        try (QpClient c = authed()) {
            ByteBuffer header = ByteBuffer.allocate(7 + 16);
            FrameEncoder.writeHeader(header, MessageType.DATA.code(), 1024 * 1024 + 1);
            c.send(header.array()); // the header alone is enough to refuse it
            assertErrorThenClose(c, "FRAME_TOO_LARGE", 1009);
        }
    }

    @Test
    void wholeFrameOverMaxFrameBytesIsTooLarge1009() throws Exception {
        try (QpClient c = authed()) {
            c.send(MessageType.DATA, new byte[1024 * 1024 + 1]);
            assertErrorThenClose(c, "FRAME_TOO_LARGE", 1009);
        }
    }

    @Test
    void frameOfExactlyMaxFrameBytesIsAccepted() throws Exception {
        try (QpClient c = authed()) {
            c.send(MessageType.DATA, new byte[1024 * 1024]);
            assertThat(json(c.next(WAIT)).path("bytes").asInt()).isEqualTo(1024 * 1024);
        }
    }

    @Test
    void messageFarOverTheLimitStillGetsTheQpError() throws Exception {
        try (QpClient c = authed()) {
            c.send(MessageType.DATA, new byte[20 * 1024 * 1024]); // over the 16 MiB maximum of max_frame_bytes
            assertErrorThenClose(c, "FRAME_TOO_LARGE", 1009);
        }
    }

    @Test
    void decompressionBombIsTooLarge1009() throws Exception {
        try (QpClient c = authed()) {
            c.send(FrameEncoder.encode(MessageType.DATA, new byte[2 * 1024 * 1024], true)); // ~2 KiB on the wire
            assertErrorThenClose(c, "FRAME_TOO_LARGE", 1009);
        }
    }

    @Test
    void aBadSessionDoesNotDisturbAnother() throws Exception {
        try (QpClient good = authed(); QpClient bad = authed()) {
            bad.send(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertErrorThenClose(bad, "BAD_FRAME", 1002);
            assertEchoWorks(good);
        }
    }
}
