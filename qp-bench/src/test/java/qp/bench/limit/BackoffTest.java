package qp.bench.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFrom100MillisTo1600WithJitterInTheUpperHalfAndStartsOverAfterAReset() {
        Backoff b = new Backoff(new SplittableRandom(7));
        long[] ceilings = {100, 200, 400, 800, 1600, 1600, 1600};
        for (int round = 0; round < 50; round++) {
            for (long ceiling : ceilings) {
                assertThat(b.next().toMillis()).isBetween(ceiling / 2, ceiling);
            }
            b.reset();
        }
    }
}
