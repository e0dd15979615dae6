package qp.job.anomaly;

import java.util.Arrays;

/**
 * The last {@link #CAPACITY} block maxima of one key (ln latency of each block's slowest frame), with their median and
 * a robust σ (1.4826 × the median absolute deviation) computed once per completed block, not per frame. Median and
 * MAD, not mean and variance: one block with a freak frame (a JIT warm-up, a GC pause) must not widen the threshold
 * for minutes, and a lasting change of level becomes the new normal once it fills half the history.
 *
 * @param values ring of the last block maxima, oldest overwritten first
 * @param count  block maxima seen (the ring holds min(count, CAPACITY) of them)
 * @param median median of the ring
 * @param sigma  1.4826 × median absolute deviation of the ring
 */
public record BlockMaxima(double[] values, long count, double median, double sigma) {
    /** 30 blocks: five minutes of history with the default 10 s block. */
    public static final int CAPACITY = 30;
    private static final double MAD_TO_SIGMA = 1.4826; // σ of a normal distribution from its MAD

    public static BlockMaxima empty() {
        return new BlockMaxima(new double[CAPACITY], 0, 0, 0);
    }

    /** This history with one more block maximum. */
    public BlockMaxima add(double x) {
        double[] ring = values.clone();
        ring[(int) (count % CAPACITY)] = x;
        long n = count + 1;
        double[] seen = Arrays.copyOf(ring, (int) Math.min(n, CAPACITY));
        double med = median(seen);
        for (int i = 0; i < seen.length; i++) {
            seen[i] = Math.abs(seen[i] - med);
        }
        return new BlockMaxima(ring, n, med, MAD_TO_SIGMA * median(seen));
    }

    public double sigma(double floor) {
        return Math.max(sigma, floor);
    }

    private static double median(double[] xs) {
        Arrays.sort(xs);
        int m = xs.length / 2;
        return xs.length % 2 == 1 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
    }
}
