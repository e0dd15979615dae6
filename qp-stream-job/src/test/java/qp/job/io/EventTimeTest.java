package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.junit.jupiter.api.Test;

class EventTimeTest {
    @Test
    void deadLettersDoNotMoveTheWatermark() {
        EventTime.ValuesOnly<String> g = new EventTime.ValuesOnly<>(
                new BoundedOutOfOrdernessWatermarks<>(Duration.ofMillis(100)));
        g.onEvent(Decoded.of("a"), 1_000, null);
        long before = EventTime.watermarkOf(g);
        g.onEvent(Decoded.failed(new DeadLetter("t", 0, 0, 9_999_999, "bad", "x", null)), 9_999_999, null);
        assertThat(EventTime.watermarkOf(g)).isEqualTo(before).isEqualTo(1_000 - 100 - 1);
        g.onEvent(Decoded.of("b"), 2_000, null);
        assertThat(EventTime.watermarkOf(g)).isEqualTo(2_000 - 100 - 1);
    }
}
