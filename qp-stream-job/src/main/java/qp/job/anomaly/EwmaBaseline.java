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
