package qp.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.Frame;
import qp.protocol.frame.FrameReader;
import qp.protocol.json.QpJson;

/** How a recorded connection becomes frames to send. */
class ConnectionScriptTest {
    static FrameEvent e(long seq, Direction d, String type, String op, int raw, String outcome) {
        return new FrameEvent("n", "c", seq, null, type, op, d, raw + 7, raw, false, 10, outcome, 1, 1000 + seq);
    }

    static Frame decode(byte[] wire) throws Exception {
        return FrameReader.readAll(java.nio.ByteBuffer.wrap(wire), 1 << 20)[0];
    }

    @Test
    void rebuildsEachInFrameFromTheRecordedTypeOpAndSize() throws Exception {
        List<ConnectionScript.Step> steps = ConnectionScript.build(List.of(
                e(3, Direction.IN, "COMMAND", "stream", 60, "ok"),
                e(0, Direction.IN, "AUTH", null, 13, "ok"), e(1, Direction.OUT, "ACK", null, 20, "ok"),
                e(2, Direction.IN, "COMMAND", "echo", 120, "ok"),
                e(4, Direction.OUT, "STREAM", "stream", 700, "ok"), e(5, Direction.OUT, "STREAM", "stream", 700, "ok"),
                e(6, Direction.OUT, "ACK", "stream", 20, "ok"),
                e(7, Direction.IN, "DATA", null, 2000, "ok"), e(8, Direction.IN, "INVALID", null, 0, "BAD_FRAME")),
                "tok");
        assertThat(steps).extracting(ConnectionScript.Step::type)
                .containsExactly("AUTH", "COMMAND", "COMMAND", "DATA", "INVALID");
        assertThat(new String(decode(steps.get(0).frame()).payload(), StandardCharsets.UTF_8)).isEqualTo("tok");
        assertThat(steps.get(0).awaitReply()).isTrue();
        Frame echo = decode(steps.get(1).frame());
        assertThat(echo.payload()).hasSize(120);
        assertThat(QpJson.tree(echo.payload()).get("op").asText()).isEqualTo("echo");
        var stream = QpJson.tree(decode(steps.get(2).frame()).payload());
        assertThat(stream.get("args").get("count").asInt()).isEqualTo(2);
        assertThat(stream.get("args").get("size").asInt()).isEqualTo(700);
        assertThat(steps.get(2).expectedReplies()).isEqualTo(3);
        assertThat(decode(steps.get(3).frame()).payload()).hasSize(2000);
        assertThat(steps.get(4).frame()).isEqualTo(ConnectionScript.INVALID_FRAME);
    }

    @Test
    void aFailedAuthIsReplayedWithAWrongToken() throws Exception {
        List<ConnectionScript.Step> steps = ConnectionScript.build(List.of(e(0, Direction.IN, "AUTH", null, 5,
                "AUTH_FAILED")), "tok");
        assertThat(new String(decode(steps.get(0).frame()).payload(), StandardCharsets.UTF_8))
                .isEqualTo(ConnectionScript.WRONG_TOKEN);
    }
}
