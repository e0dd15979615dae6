package qp.job.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import qp.protocol.params.TunableParams;

/**
 * Does the compression proposal's confidence mean what it says? Rows come from populations whose true saving the test
 * knows by arithmetic: small frames of 1,000 B sent plain, large ones of 10,000 B compressed to exactly half, each row
 * large with probability q. Turning compression on at 5,000 B then saves (1 - 0.5) × 10,000q / (10,000q + 1,000(1 - q))
 * of the bytes. Over many populations with q spread around the 20% line, the confidence (P(saving > 20%)) is compared
 * with how often the true saving was over 20%.
 */
class CompressionSavingConfidenceTest {
    private static final double MIN_IMPROVEMENT = 0.2;

    private static double trueSaving(double q) {
        return 0.5 * 10_000 * q / (10_000 * q + 1_000 * (1 - q));
    }

    private static List<TrainingRow> rows(Random r, int n, double q) {
        List<TrainingRow> out = new ArrayList<>(n);
        TunableParams p = TunableParams.defaults();
        for (int i = 0; i < n; i++) {
            boolean large = r.nextDouble() < q;
            long payload = large ? 10_000 : 1_000;
            out.add(new TrainingRow("DATA", payload, large ? payload / 2 : payload, large, 1000, 0.5, 1, 10,
                    p.bufferSizeBytes(), p.heartbeatIntervalMs(), TunableParams.OFF, p.maxConnections(),
                    p.maxFrameBytes(), 1, 1000, 1_000_000L + i * 1000L));
        }
        return out;
    }

    @Test
    void aSavingFarAboveTheLineIsNearlyCertainAndOneFarBelowIsNot() {
        Random r = new Random(1);
        assertThat(trueSaving(0.3)).isGreaterThan(0.4);
        assertThat(ModelRecommender.probabilityOfSaving(rows(r, 1000, 0.3), TunableParams.OFF, 5000, MIN_IMPROVEMENT, 7))
                .isGreaterThanOrEqualTo(0.99);
        assertThat(trueSaving(0.01)).isLessThan(0.05);
        assertThat(ModelRecommender.probabilityOfSaving(rows(r, 1000, 0.01), TunableParams.OFF, 5000, MIN_IMPROVEMENT, 7))
                .isLessThanOrEqualTo(0.01);
    }

    @Test
    void confidenceMatchesHowOftenTheTrueSavingClearedTheLine() {
        Random r = new Random(20261207);
        int populations = 200;
        double sumConfidence = 0;
        int over = 0;
        int confident = 0;
        int confidentAndOver = 0;
        double brier = 0;
        for (int i = 0; i < populations; i++) {
            // q from 0.03 to 0.12: true savings from about 12% to 29%, the 20% line at q = 0.0625
            double q = 0.03 + 0.09 * r.nextDouble();
            boolean reallyOver = trueSaving(q) > MIN_IMPROVEMENT;
            double c = ModelRecommender.probabilityOfSaving(rows(r, 1000, q), TunableParams.OFF, 5000,
                    MIN_IMPROVEMENT, i);
            sumConfidence += c;
            over += reallyOver ? 1 : 0;
            brier += (c - (reallyOver ? 1 : 0)) * (c - (reallyOver ? 1 : 0));
            if (c >= 0.8) {
                confident++;
                confidentAndOver += reallyOver ? 1 : 0;
            }
        }
        double meanConfidence = sumConfidence / populations;
        double shareOver = (double) over / populations;
        System.out.printf("mean confidence %.3f, share truly over %.3f, Brier %.3f; confidence >= 0.8: %d of %d over%n",
                meanConfidence, shareOver, brier / populations, confidentAndOver, confident);
        assertThat(meanConfidence).isCloseTo(shareOver, org.assertj.core.data.Offset.offset(0.08));
        assertThat(confident).isGreaterThan(20);
        assertThat((double) confidentAndOver / confident).as("of those that would pass a 0.8 gate")
                .isGreaterThanOrEqualTo(0.8);
        assertThat(brier / populations).as("better than a coin").isLessThan(0.25);
    }
}
