package qp.bench.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import qp.bench.limit.BandVerdict.Sample;

/** Best 80, band 0.25: the band is [60, 100], bounds included. */
class BandVerdictTest {
    private static final double BEST = 80;
    private static final double BAND = 0.25;

    @Test
    void enteredAtTheFirstSampleInsideAndStayed() {
        BandVerdict v = BandVerdict.of(timeline(1000, 1000, 500, 100, 90, 60, 75), BEST, BAND);
        assertThat(v.low()).isEqualTo(60.0);
        assertThat(v.high()).isEqualTo(100.0);
        assertThat(v.enteredAtSeconds()).isEqualTo(15.0); // the 4th sample, 100: on the upper bound
        assertThat(v.stayed()).isTrue();
        assertThat(v.leftAtSeconds()).isEqualTo(-1.0);
        assertThat(v.sentence()).contains("entered", "0:15", "stayed");
    }

    @Test
    void leavingAfterEnteringIsNotStayingEvenWhenItComesBack() {
        BandVerdict v = BandVerdict.of(timeline(1000, 90, 80, 59, 80, 80), BEST, BAND);
        assertThat(v.enteredAtSeconds()).isEqualTo(5.0);
        assertThat(v.leftAtSeconds()).isEqualTo(15.0); // 59: just under the lower bound
        assertThat(v.stayed()).isFalse();
        assertThat(v.sentence()).contains("left it at 0:15");
    }

    @Test
    void neverEnteringIsNeitherEnteredNorStayed() {
        BandVerdict v = BandVerdict.of(timeline(1000, 800, 400, 101), BEST, BAND);
        assertThat(v.entered()).isFalse();
        assertThat(v.stayed()).isFalse();
        assertThat(v.sentence()).contains("never entered");
    }

    /** One sample every 5 s from 0. */
    private static List<Sample> timeline(long... values) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(new Sample(5.0 * i, values[i]));
        }
        return samples;
    }
}
