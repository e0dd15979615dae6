package qp.job.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EwmaBaselineTest {
    /** The oracle: the same value fed in one update at a time. */
    @Test
    void manyUpdatesAtOnceEqualThemOneByOne() {
        Random rnd = new Random(3);
        for (int run = 0; run < 2_000; run++) {
            double alpha = new double[] {0.01, 0.1, 0.3, 0.005}[rnd.nextInt(4)];
            EwmaBaseline start = EwmaBaseline.empty();
            for (int i = rnd.nextInt(400); i > 0; i--) {
                start = start.update(rnd.nextGaussian() * 2 + 5, alpha);
            }
            double x = rnd.nextGaussian() * 3 + 5;
            long count = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 1_500);
            EwmaBaseline oneByOne = start;
            for (long i = 0; i < count; i++) {
                oneByOne = oneByOne.update(x, alpha);
            }
            EwmaBaseline atOnce = start.updateMany(x, count, alpha);
            String at = "run " + run + ": " + start + " + " + count + " x " + x + ", alpha " + alpha;
            assertEquals(oneByOne.n(), atOnce.n(), at);
            assertEquals(oneByOne.mean(), atOnce.mean(), 1e-9 * (1 + Math.abs(oneByOne.mean())), at);
            assertEquals(oneByOne.variance(), atOnce.variance(), 1e-9 * (1 + oneByOne.variance()), at);
        }
    }
}
