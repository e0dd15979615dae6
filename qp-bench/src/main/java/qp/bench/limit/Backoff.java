package qp.bench.limit;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a refused user waits before it tries again: 100 ms doubling at each refusal in a row up to 1.6 s, a
 * random time between half of that and all of it (so that refused users do not come back in step), and back to
 * 100 ms once a session is admitted.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMillis(1600);

    private final SplittableRandom random;
    private int refusalsInARow;

    Backoff(SplittableRandom random) {
        this.random = random;
    }

    /** The wait after one more refusal. */
    Duration next() {
        long ceiling = Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(refusalsInARow, 16));
        refusalsInARow++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    void reset() {
        refusalsInARow = 0;
    }
}
