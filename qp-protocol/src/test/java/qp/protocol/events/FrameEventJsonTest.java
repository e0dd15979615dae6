package qp.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import qp.protocol.json.QpJson;

class FrameEventJsonTest {

    @Test
    void writesExactlyWhatDatabindWrites() throws Exception {
        Random rnd = new Random(42);
        String[] types = {"COMMAND", "ACK", "INVALID", null};
        for (int i = 0; i < 2_000; i++) {
            FrameEvent e = new FrameEvent(
                    "edge-" + rnd.nextInt(5), "c-" + rnd.nextLong(), rnd.nextInt(1000),
                    rnd.nextBoolean() ? null : "s\"é\u0001" + rnd.nextInt(),
                    types[rnd.nextInt(types.length)], rnd.nextBoolean() ? null : "echo",
                    rnd.nextBoolean() ? Direction.IN : (rnd.nextBoolean() ? Direction.OUT : null),
                    rnd.nextInt(), rnd.nextInt(1 << 20), rnd.nextBoolean(), rnd.nextLong(),
                    rnd.nextBoolean() ? FrameEvent.OK : "BAD_FRAME", rnd.nextLong(), System.currentTimeMillis(),
                    rnd.nextBoolean() ? null : "exp-" + rnd.nextInt(9), rnd.nextBoolean() ? null : "treatment",
                    rnd.nextBoolean() ? null : rnd.nextInt(8));
            byte[] fast = FrameEventJson.write(e);
            assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(QpJson.bytes(e), StandardCharsets.UTF_8));
            assertThat(QpJson.read(fast, FrameEvent.class)).isEqualTo(e);
        }
    }
}
