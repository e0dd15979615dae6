package qp.bench.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import qp.bench.limit.SweptBest.Point;

/** Where the swept p99 crosses the SLO; each expected value is worked out by hand in the comment beside it. */
class SweptBestTest {
    private static final double SLO = 200;

    @Test
    void interpolatesBetweenTheLastValueWithinTheSloAndTheNextOne() {
        SweptBest best = SweptBest.of(List.of(new Point(20, 50), new Point(40, 90), new Point(60, 150),
                new Point(80, 250), new Point(100, 400)), SLO);
        // within: 60 at 150 ms; next: 80 at 250 ms; 60 + (200 - 150) / (250 - 150) * (80 - 60) = 60 + 0.5 * 20
        assertThat(best.value()).isCloseTo(70.0, within(1e-9));
        assertThat(best.crossed()).isTrue();
        assertThat(best.sentence()).contains("between 60", "and 80", "70.0");
    }

    @Test
    void theSweepsOrderDoesNotMatterAndAValueExactlyAtTheSloIsWithinIt() {
        SweptBest best = SweptBest.of(List.of(new Point(120, 320), new Point(40, 120), new Point(80, 200)), SLO);
        // within: 80 at exactly 200 ms; next: 120 at 320 ms; 80 + 0 / 120 * 40 = 80
        assertThat(best.value()).isCloseTo(80.0, within(1e-9));
        assertThat(best.crossed()).isTrue();
    }

    @Test
    void aNoisySweepTakesTheLargestValueWithinTheSloAndSaysWhereItWasOver() {
        SweptBest best = SweptBest.of(List.of(new Point(20, 50), new Point(40, 210), new Point(60, 150),
                new Point(80, 260)), SLO);
        // within: 60 at 150 ms (40 is over, but 60 is not); next: 80 at 260 ms; 60 + 50 / 110 * 20 = 60 + 9.0909...
        assertThat(best.value()).isCloseTo(69.0909, within(1e-4));
        assertThat(best.sentence()).contains("[40]");
    }

    @Test
    void whenNothingCrossesTheLargestValueWithinTheSloIsTheBest() {
        SweptBest best = SweptBest.of(List.of(new Point(20, 40), new Point(40, 80), new Point(60, 120)), SLO);
        assertThat(best.value()).isEqualTo(60.0);
        assertThat(best.crossed()).isFalse();
        assertThat(best.sentence()).contains("never crossed");
    }

    @Test
    void whenNoValueIsWithinTheSloThereIsNoBest() {
        SweptBest best = SweptBest.of(List.of(new Point(20, 250), new Point(40, 300)), SLO);
        assertThat(best.found()).isFalse();
        assertThat(best.sentence()).contains("no swept value");
    }

    @Test
    void aValueWithoutRepliesIsLeftOut() {
        SweptBest best = SweptBest.of(List.of(new Point(20, 100), new Point(40, Double.NaN), new Point(60, 300)), SLO);
        // 40 is left out: within 20 at 100 ms, next 60 at 300 ms; 20 + 100 / 200 * 40 = 40
        assertThat(best.value()).isCloseTo(40.0, within(1e-9));
    }
}
