package qp.job.anomaly;

/**
 * Exponentially weighted mean and variance of one key's recent values. While fewer than 1/α values were seen the
 * weight is 1/n, so the baseline starts as the plain mean and variance of what it has seen (the warm-up).
 *
 * @param n        values seen
 * @param mean     weighted mean
 * @param variance weighted variance
 */
public record EwmaBaseline(long n, double mean, double variance) {

    public static EwmaBaseline empty() {
        return new EwmaBaseline(0, 0, 0);
    }

    public EwmaBaseline update(double x, double alpha) {
        double a = Math.max(alpha, 1.0 / (n + 1));
        double d = x - mean;
        return new EwmaBaseline(n + 1, mean + a * d, (1 - a) * (variance + a * d * d));
    }

    /**
     * What {@code count} calls of {@link #update} with the same x give, without the calls: the warm-up steps (weight
     * 1/n) one by one, at most 1/α of them, then the rest at once (each step takes the share α of the distance to x
     * and of the variance, so r steps leave (1−α)^r of both and add the spread the mean crossed).
     */
    public EwmaBaseline updateMany(double x, long count, double alpha) {
        long k = n;
        double m = mean;
        double v = variance;
        long left = count;
        while (left > 0 && 1.0 / (k + 1) > alpha) {
            double a = 1.0 / (k + 1);
            double d = x - m;
            m += a * d;
            v = (1 - a) * (v + a * d * d);
            k++;
            left--;
        }
        if (left > 0) {
            double keep = Math.pow(1 - alpha, left);
            double d = x - m;
            v = keep * (v + d * d * (1 - keep));
            m = x - keep * d;
            k += left;
        }
        return new EwmaBaseline(k, m, v);
    }

    /** σ, never below {@code floor}: a perfectly flat history must not turn noise into anomalies. */
    public double sigma(double floor) {
        return Math.max(Math.sqrt(variance), floor);
    }

    /**
     * Feeds x in, but clipped to mean + kσ once warmed up, so a spike moves the baseline only a little and a lasting
     * change of level is still learned over some windows.
     */
    public EwmaBaseline learn(double x, double alpha, boolean warmedUp, double k, double sigma) {
        return update(warmedUp ? Math.min(x, mean + k * sigma) : x, alpha);
    }
}
