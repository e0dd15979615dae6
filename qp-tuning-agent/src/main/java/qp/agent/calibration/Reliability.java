package qp.agent.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * A reliability table: per confidence band, how many decided outcomes, their mean confidence and the share kept with
 * its Wilson 95% interval; and the Brier score, the mean of (confidence - kept)², over all of them. A calibrated
 * confidence has each band's share kept near its mean confidence.
 *
 * @param brier null without outcomes
 */
public record Reliability(List<Band> bands, int count, Double brier) {
    /** Lower edges of the bands; the last band, [0.9, 1.0], includes 1. */
    public static final double[] EDGES = {0, 0.5, 0.6, 0.7, 0.8, 0.9};
    /** The normal quantile of a two-sided 95% interval. */
    static final double Z95 = 1.959963984540054;

    /**
     * One band; {@code meanConfidence}, {@code shareKept} and the interval are null when it holds no outcome.
     */
    public record Band(String band, double low, double high, int count, int kept, Double meanConfidence,
            Double shareKept, Double keptLow, Double keptHigh) {
    }

    public static Reliability of(List<Outcome> outcomes) {
        int bandsN = EDGES.length;
        int[] n = new int[bandsN];
        int[] kept = new int[bandsN];
        double[] sumConf = new double[bandsN];
        double squares = 0;
        for (Outcome o : outcomes) {
            int b = band(o.confidence());
            n[b]++;
            kept[b] += o.kept() ? 1 : 0;
            sumConf[b] += o.confidence();
            double miss = o.confidence() - (o.kept() ? 1 : 0);
            squares += miss * miss;
        }
        List<Band> bands = new ArrayList<>();
        for (int b = 0; b < bandsN; b++) {
            double high = b + 1 < bandsN ? EDGES[b + 1] : 1.0;
            String label = String.format(java.util.Locale.ROOT, "[%.1f, %.1f%s", EDGES[b], high, b + 1 == bandsN ? "]" : ")");
            if (n[b] == 0) {
                bands.add(new Band(label, EDGES[b], high, 0, 0, null, null, null, null));
            } else {
                double[] w = wilson(kept[b], n[b]);
                bands.add(new Band(label, EDGES[b], high, n[b], kept[b], sumConf[b] / n[b],
                        (double) kept[b] / n[b], w[0], w[1]));
            }
        }
        return new Reliability(bands, outcomes.size(), outcomes.isEmpty() ? null : squares / outcomes.size());
    }

    static int band(double confidence) {
        for (int b = EDGES.length - 1; b > 0; b--) {
            if (confidence >= EDGES[b]) {
                return b;
            }
        }
        return 0;
    }

    /** Wilson score interval of {@code kept} out of {@code n} at 95%. */
    static double[] wilson(int kept, int n) {
        double p = (double) kept / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
