package qp.bench.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/** The benchmark compares only coders that give back the event they were given, nulls and all. */
class FrameEventCodersTest {

    @ParameterizedTest
    @ValueSource(strings = {"json", "avroGeneric", "avroFields", "protobuf", "fixedLayout", "codec"})
    void readsBackWhatItWrote(String name) {
        FrameEventCoder c = FrameEventCoders.byName(name);
        assertThat(c.decode(c.encode(FrameEventCoders.realisticEvent()))).isEqualTo(FrameEventCoders.realisticEvent());
        assertThat(c.decode(c.encode(FrameEventCoders.experimentEvent()))).isEqualTo(FrameEventCoders.experimentEvent());
        Random rnd = new Random(9);
        for (int i = 0; i < 1_000; i++) {
            boolean exp = rnd.nextBoolean();
            FrameEvent e = new FrameEvent("edge-" + rnd.nextInt(4), "c" + rnd.nextInt(1000), rnd.nextInt(1 << 30),
                    rnd.nextBoolean() ? null : "s-é-" + rnd.nextInt(), rnd.nextBoolean() ? "COMMAND" : "ACK",
                    rnd.nextBoolean() ? null : "echo", rnd.nextBoolean() ? Direction.IN : Direction.OUT,
                    rnd.nextInt(1 << 20), rnd.nextInt(1 << 20), rnd.nextBoolean(), rnd.nextInt(1 << 24),
                    rnd.nextBoolean() ? FrameEvent.OK : "BAD_FRAME", rnd.nextInt(100), 1_795_704_016_817L + i,
                    exp ? "x-rule-" + rnd.nextInt(9) : null, exp ? "control" : null, exp ? rnd.nextInt(8) : null);
            assertThat(c.decode(c.encode(e))).isEqualTo(e);
        }
    }
}
