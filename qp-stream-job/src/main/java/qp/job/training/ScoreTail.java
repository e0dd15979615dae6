package qp.job.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Where the traffic anomaly model puts its threshold: the upper tail of its out-of-sample scores of normal windows,
 * fitted as an exponential above a base score (peaks over threshold with shape 0), so that a window of normal traffic
 * lands above the threshold with probability {@code targetShare}.
 * <p>
 * Why a tail fit: the target share is small (1 false alarm per hour at 10 s windows is 1 window in 360) and a node's
 * model is calibrated on a few hundred windows, so the empirical quantile would be the largest score seen, or beyond
 * it. Fitting the top {@link #TAIL_SHARE} of the scores and extrapolating uses every score of the tail. Why shape 0:
 * a shape estimated from a few dozen excesses is mostly noise, and a forest's scores of normal windows have a light
 * tail, for which an exponential errs on the high side (fewer false alarms, not more).
 * <p>
 * Windows above the threshold may be incidents, whose scores say nothing about normal traffic: they are left out, and
 * the fit treats what is left as normal traffic truncated at the threshold (the mean excess of an exponential of
 * scale β truncated at c is β − c / (e^(c/β) − 1)). Counting them in, even as "at least the threshold", let incidents
 * at 5% of the windows triple the scale and halve the recall. The live windows keep adding to the fit
 * ({@link #observe}).
 */
final class ScoreTail {
    /** Share of the calibration scores above the base. */
    static final double TAIL_SHARE = 0.1;
    /** Fewest scores above the base: below this the fit is a guess. */
    static final int MIN_TAIL = 5;

    private final double base;
    private final double targetShare;
    private long kept;
    private long above;
    private double sumExcess;

    private ScoreTail(double base, double targetShare, long kept, long above, double sumExcess) {
        this.base = base;
        this.targetShare = targetShare;
        this.kept = kept;
        this.above = above;
        this.sumExcess = sumExcess;
    }

    /**
     * Fits the tail of a model's calibration scores. Scores above a first, robust estimate of the threshold (from the
     * median excess, which a few incidents among the calibration windows cannot move) are left out as live ones are.
     */
    static ScoreTail fit(double[] scores, double targetShare) {
        if (scores.length < MIN_TAIL + 1) {
            throw new IllegalArgumentException("need at least " + (MIN_TAIL + 1) + " calibration scores, got "
                    + scores.length);
        }
        double[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        int k = Math.max(MIN_TAIL, (int) Math.round(TAIL_SHARE * sorted.length));
        double base = sorted[sorted.length - k - 1];
        double medianExcess = (sorted[sorted.length - k + (k - 1) / 2] + sorted[sorted.length - k + k / 2]) / 2 - base;
        double first = base + medianExcess / Math.log(2) * Math.log(((double) k / sorted.length) / targetShare);
        ScoreTail tail = new ScoreTail(base, targetShare, 0, 0, 0);
        for (double s : sorted) {
            tail.observe(s, first);
        }
        return tail;
    }

    /** One more out-of-sample score, judged against {@code threshold}, the threshold in force for it. */
    void observe(double score, double threshold) {
        if (score > threshold) {
            return; // perhaps an incident: not evidence about normal traffic
        }
        kept++;
        if (score > base) {
            above++;
            sumExcess += score - base;
        }
    }

    /** The score that a normal window exceeds with probability {@code targetShare}. */
    double threshold() {
        double shareAbove = (double) above / Math.max(1, kept);
        double logRatio = Math.log(Math.max(shareAbove, targetShare) / targetShare);
        double meanExcess = sumExcess / Math.max(1, above);
        // truncated at c = scale × logRatio, the mean excess is scale × (1 − logRatio / (e^logRatio − 1))
        double truncation = logRatio < 1e-9 ? 0 : logRatio / Math.expm1(logRatio);
        double scale = meanExcess / Math.max(1 - truncation, 0.05);
        return base + scale * logRatio;
    }

    double targetShare() {
        return targetShare;
    }

    /** Scores the fit holds (calibration and live, those above the threshold left out). */
    long kept() {
        return kept;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(base);
        out.writeDouble(targetShare);
        out.writeLong(kept);
        out.writeLong(above);
        out.writeDouble(sumExcess);
    }

    static ScoreTail read(DataInputStream in) throws IOException {
        return new ScoreTail(in.readDouble(), in.readDouble(), in.readLong(), in.readLong(), in.readDouble());
    }
}
