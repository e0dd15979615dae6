package qp.bench.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VirtualUserTest {
    @Test
    void sessionLengthsAreGeometricWithTheGivenMean() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 200_000;
        long sum = 0;
        long ones = 0;
        for (int i = 0; i < n; i++) {
            int k = VirtualUser.geometric(random, 10);
            assertThat(k).isGreaterThanOrEqualTo(1);
            sum += k;
            ones += k == 1 ? 1 : 0;
        }
        // mean 10 and P(1) = 1/10; 200,000 draws put both well within these bounds (standard errors ~0.02 and ~0.0007)
        assertThat(sum / (double) n).isBetween(9.8, 10.2);
        assertThat(ones / (double) n).isBetween(0.095, 0.105);
        assertThat(VirtualUser.geometric(random, 1)).isEqualTo(1);
    }
}
