package qp.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.agent.testing.MutableClock;

/** --speed: the original gaps divided by the factor, none at max; the clock is a test clock that the sleeper advances. */
class PacerTest {
    static List<Long> sendTimes(Speed speed, long... recordTimes) throws InterruptedException {
        MutableClock clock = new MutableClock(1_000_000);
        Pacer pacer = new Pacer(speed, clock, ms -> clock.advance(Duration.ofMillis(ms)));
        List<Long> sent = new ArrayList<>();
        for (long t : recordTimes) {
            pacer.awaitTurn(t);
            sent.add(clock.millis() - 1_000_000);
            clock.advance(Duration.ofMillis(5)); // sending takes a little time, which the next wait makes up for
        }
        return sent;
    }

    @Test
    void keepsTheOriginalGapsAtSpeedOneAndDividesThemAtTen() throws Exception {
        assertThat(sendTimes(new Speed(1), 500, 1500, 1500, 4500)).containsExactly(0L, 1000L, 1005L, 4000L);
        assertThat(sendTimes(Speed.parse("10"), 500, 1500, 4500)).containsExactly(0L, 100L, 400L);
        assertThat(sendTimes(Speed.parse("max"), 500, 1500, 4500)).containsExactly(0L, 5L, 10L);
    }

    @Test
    void aRecordOlderThanThePreviousOneGoesAtOnce() throws Exception {
        assertThat(sendTimes(new Speed(1), 1000, 900, 2000)).containsExactly(0L, 5L, 1000L);
    }

    @Test
    void speedIsAPositiveFactorOrMax() {
        assertThat(Speed.parse("MAX").isMax()).isTrue();
        assertThat(Speed.parse("2.5").factor()).isEqualTo(2.5);
        assertThat(Speed.parse("10")).hasToString("10x");
        for (String bad : new String[] {"0", "-1", "fast", "NaN", "Infinity"}) {
            assertThatThrownBy(() -> Speed.parse(bad)).hasMessageContaining("is not a speed");
        }
    }
}
