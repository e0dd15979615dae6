package qp.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void everyWrittenFormReadsAsItsDuration() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("10 s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("30 seconds")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void aBareNumberOrAnUnknownUnitIsAnError() {
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("a number and a unit");
        assertThatThrownBy(() -> Durations.parse("10 weeks")).hasMessageContaining("unknown unit 'weeks'");
        assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageContaining("a number and a unit");
    }

    @Test
    void formatUsesTheLargestWholeUnitAndReadsBack() {
        for (Duration d : new Duration[] {Duration.ZERO, Duration.ofMillis(1500), Duration.ofSeconds(90),
                Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(36)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90 s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1 d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0 ms");
    }
}
