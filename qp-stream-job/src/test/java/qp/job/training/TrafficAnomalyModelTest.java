package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model on window vectors this test generates itself: a node's load moves its throughput and latency features
 * together, every feature has its own noise of known σ, and an incident moves one feature by a stated number of σ.
 * The oracles are the budget (false alarms per hour × window size / 3600) and the binomial distribution, not the
 * model's own scores.
 */
class TrafficAnomalyModelTest {
    static final int D = TrafficFeatures.NAMES.size();
    static final double WINDOWS_PER_HOUR = 360; // 10 s windows
    static final double BUDGET = 1 / WINDOWS_PER_HOUR; // 1 false alarm per hour

    /** Normal windows: a shared load factor plus independent noise of σ 1 in every feature. */
    static double[] normal(Random r) {
        double load = r.nextGaussian();
        double[] v = new double[D];
        for (int i = 0; i < D; i++) {
            v[i] = 10 + (i < 5 ? 0.8 * load : 0) + r.nextGaussian();
        }
        return v;
    }

    /** A normal window with one feature moved by {@code sigmas} of its noise. */
    static double[] incident(Random r, double sigmas) {
        double[] v = normal(r);
        v[r.nextInt(D)] += (r.nextBoolean() ? 1 : -1) * sigmas;
        return v;
    }

    static TrafficAnomalyModel trained(Random r) {
        List<double[]> train = new ArrayList<>();
        for (int i = 0; i < WINDOWS_PER_HOUR; i++) {
            train.add(normal(r));
        }
        return TrafficAnomalyModel.train(train, BUDGET, 7);
    }

    /** The largest count that a binomial(n, p) exceeds with probability below about 0.0005 (normal approximation). */
    static long upperBand(long n, double p) {
        return (long) Math.ceil(n * p + 3.29 * Math.sqrt(n * p * (1 - p)));
    }

    static long lowerBand(long n, double p) {
        return (long) Math.floor(n * p - 3.29 * Math.sqrt(n * p * (1 - p)));
    }

    @Test
    void falseAlarmsOverAHundredHoursOfNormalWindowsAreWithinABinomialBandOfTheBudget() {
        Random r = new Random(20);
        TrafficAnomalyModel model = trained(r);
        int n = 36_000; // 100 hours of 10 s windows: 100 false alarms expected
        int flagged = 0;
        for (int i = 0; i < n; i++) {
            flagged += model.observe(normal(r)).outlier() ? 1 : 0;
        }
        System.out.printf("false alarms in %d normal windows: %d (budget %.0f, band %d..%d)%n", n, flagged, n * BUDGET,
                lowerBand(n, BUDGET), upperBand(n, BUDGET));
        assertThat(flagged).isBetween((int) lowerBand(n, BUDGET), (int) upperBand(n, BUDGET));
    }

    @Test
    void incidentsOfTenSigmaAtFivePercentOfTheWindowsAreCaughtAndDoNotWidenTheBudget() {
        Random r = new Random(21);
        TrafficAnomalyModel model = trained(r);
        int normalWindows = 0;
        int falseAlarms = 0;
        int incidents = 0;
        int caught = 0;
        for (int i = 0; i < 7_200; i++) { // 20 hours
            if (r.nextDouble() < 0.05) {
                incidents++;
                caught += model.observe(incident(r, 10)).outlier() ? 1 : 0;
            } else {
                normalWindows++;
                falseAlarms += model.observe(normal(r)).outlier() ? 1 : 0;
            }
        }
        double recall = (double) caught / incidents;
        System.out.printf("incidents caught: %d of %d (recall %.3f); false alarms %d in %d normal windows%n", caught,
                incidents, recall, falseAlarms, normalWindows);
        // A 10σ move of one of 12 features. Smaller ones are not "clear" to the forest at a threshold this high: on
        // these vectors a fresh model caught 13% of 4σ moves, 57% of 6σ, 90% of 8σ, 99.8% of 10σ.
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
        assertThat(falseAlarms).isLessThanOrEqualTo((int) upperBand(normalWindows, BUDGET));
    }

    @Test
    void theForestLearnsFromLiveWindowsButNotFromTheOnesItFlags() {
        Random r = new Random(22);
        TrafficAnomalyModel model = trained(r);
        double[] unusual = new double[D];
        java.util.Arrays.fill(unusual, 10); // the normal windows' centre
        double[] alarming = unusual.clone();
        unusual[7] += 4; // unusual, not alarming
        alarming[9] += 12;
        double unusualBefore = model.score(unusual);
        assertThat(model.isOutlier(unusualBefore)).isFalse();
        assertThat(model.isOutlier(model.score(alarming))).isTrue();

        for (int i = 0; i < 300; i++) { // a new habit of the node's, and a lasting incident
            double[] u = unusual.clone();
            u[7] += 0.1 * r.nextGaussian();
            model.observe(u);
            double[] a = alarming.clone();
            a[9] += 0.1 * r.nextGaussian();
            model.observe(a);
        }

        assertThat(model.score(unusual)).as("learnt from the live windows").isLessThan(0.8 * unusualBefore);
        assertThat(model.isOutlier(model.score(alarming))).as("not taught that the incident is normal").isTrue();
    }

    @Test
    void theModelSurvivesItsBytesWithWhatItLearntLiveAndNamesTheUnusualFeature() {
        Random r = new Random(23);
        TrafficAnomalyModel model = trained(r);
        for (int i = 0; i < 100; i++) {
            model.observe(normal(r));
        }
        double[] normal = normal(r);
        double[] slow = normal.clone();
        slow[3] += 8;

        TrafficAnomalyModel back = TrafficAnomalyModel.fromBytes(model.toBytes());

        assertThat(back.threshold()).isEqualTo(model.threshold());
        assertThat(back.scoresSeen()).isEqualTo(model.scoresSeen());
        assertThat(back.score(normal)).isCloseTo(model.score(normal), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(back.isOutlier(back.score(slow))).isTrue();
        assertThat(back.attribution(slow, 1)).containsOnlyKeys("latency_p95");
    }

    @Test
    void badBytesAnOlderFormatAndTooFewWindowsAreClearErrors() {
        assertThatThrownBy(() -> TrafficAnomalyModel.fromBytes(new byte[] {0, 0, 0, 1, 0}))
                .hasMessageContaining("format 1").hasMessageContaining("retrain it");
        assertThatThrownBy(() -> TrafficAnomalyModel.fromBytes(new byte[] {0, 0, 0, 2, 0}))
                .hasMessageContaining("not a serialized traffic anomaly model");
        assertThatThrownBy(() -> TrafficAnomalyModel.train(List.of(new double[12]), BUDGET, 1))
                .hasMessageContaining("need at least 16 windows");
        List<double[]> enough = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 20; i++) {
            enough.add(normal(r));
        }
        assertThatThrownBy(() -> TrafficAnomalyModel.train(enough, 0.1, 1)).hasMessageContaining("false-alarm share");
    }
}
