package qp.job.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import qp.protocol.params.TunableParameter;

/**
 * What a parameter does to latency, where the data varied it (an experiment's arms, a switchback), read on the cells
 * held out forward in time, so that neither the estimate nor its interval rests on data the model was fitted to.
 *
 * <p>For a parameter with at least two values each held by enough rows, and for each value {@code to} other than the
 * most common one {@code from}: every held-out cell is predicted as if at {@code from}; its residual
 * ln(observed) − ln(predicted at from) is noise for a cell that was at {@code from}, and the parameter's effect plus
 * noise for a cell that was at {@code to}. The effect is the difference of the two groups' mean residuals (the model
 * takes out what payload, type and load explain, as a covariate adjustment does in an experiment), and its interval
 * is Welch's, with the runs of one value in time order as the units (cells of one switchback block or one load phase
 * are not independent; the runs are). The model's own partial dependence is reported beside it ({@code modelEffect}).
 * A parameter that never varied has no effect here: a model cannot learn what a knob does from data in which it stood
 * still.
 */
public final class ParameterEffects {
    static final double MIN_SHARE = 0.05;
    static final int MIN_ROWS = 20;
    static final int MIN_RUNS = 2;
    static final int MAX_ROWS = 300;
    static final double LEVEL = 0.95;

    private ParameterEffects() {
    }

    /**
     * Latency × (1 + effect) from {@code from} to {@code to}, with its {@link #LEVEL} interval.
     *
     * @param modelEffect the model's partial dependence over the training rows (every row predicted at both values)
     * @param cells       held-out cells at {@code to}
     * @param runs        runs of {@code to} and of {@code from} among the held-out cells (the interval's units)
     * @param logSe       standard error of the effect on the log scale (ln(1 + effect))
     * @param df          Welch's degrees of freedom of that standard error
     */
    public record Effect(String parameter, long from, long to, double effect, double low, double high,
            double modelEffect, int cells, int runs, double logSe, double df) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }

        /**
         * The probability that {@code to} lowers latency by more than {@code share} (0.2 = 20%), from the effect's
         * t distribution: P(ln(1 + effect) &lt; ln(1 - share)).
         */
        public double probabilityOfLowering(double share) {
            double theta = Math.log1p(effect);
            double bound = Math.log1p(-share);
            if (logSe <= 0) {
                return theta < bound ? 1 : 0;
            }
            return new TDistribution(Math.max(1, df)).cumulativeProbability((bound - theta) / logSe);
        }
    }

    /** One effect per parameter value that the held-out cells can judge (at least two runs of each value). */
    public static List<Effect> of(LatencyModel model, List<TrainingRow> rows, List<TrainingRow> heldOut) {
        List<Effect> out = new ArrayList<>();
        List<TrainingRow> sample = ModelRecommender.spread(rows, MAX_ROWS);
        for (TunableParameter p : TunableParameter.values()) {
            Map<Long, Integer> counts = new LinkedHashMap<>();
            rows.forEach(r -> counts.merge(value(r, p), 1, Integer::sum));
            List<Long> values = counts.entrySet().stream()
                    .filter(e -> e.getValue() >= MIN_ROWS && e.getValue() >= MIN_SHARE * rows.size())
                    .sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
            for (int i = 1; i < values.size(); i++) {
                Effect e = effect(model, sample, heldOut, p, values.get(0), values.get(i));
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static Effect effect(LatencyModel model, List<TrainingRow> sample, List<TrainingRow> heldOut,
            TunableParameter p, long from, long to) {
        // runs of one value, in time order, each with its cells' mean residual against the prediction at `from`
        List<double[]> atFrom = new ArrayList<>();
        List<double[]> atTo = new ArrayList<>();
        long runValue = Long.MIN_VALUE;
        double sum = 0;
        int n = 0;
        int cells = 0;
        for (TrainingRow r : heldOut) {
            long v = value(r, p);
            if (v != from && v != to) {
                continue;
            }
            if (v != runValue && n > 0) {
                (runValue == to ? atTo : atFrom).add(new double[] {sum / n, n});
                sum = 0;
                n = 0;
            }
            runValue = v;
            sum += Math.log(Math.max(1, r.latencyMicros())) - Math.log(Math.max(1, model.predictMicros(with(r, p, from))));
            n++;
            cells += v == to ? 1 : 0;
        }
        if (n > 0) {
            (runValue == to ? atTo : atFrom).add(new double[] {sum / n, n});
        }
        if (atTo.size() < MIN_RUNS || atFrom.size() < MIN_RUNS) {
            return null; // the held-out time holds too few runs of each value to judge it
        }
        double mt = mean(atTo);
        double mf = mean(atFrom);
        double vt = variance(atTo, mt) / atTo.size();
        double vf = variance(atFrom, mf) / atFrom.size();
        double se = Math.sqrt(vt + vf);
        double df = se == 0 ? 1 : (vt + vf) * (vt + vf)
                / (vt * vt / (atTo.size() - 1) + vf * vf / (atFrom.size() - 1));
        double t = new TDistribution(Math.max(1, df)).inverseCumulativeProbability(0.5 + LEVEL / 2);
        double theta = mt - mf;
        return new Effect(p.wireName(), from, to, round(Math.expm1(theta)), round(Math.expm1(theta - t * se)),
                round(Math.expm1(theta + t * se)), round(partialDependence(model, sample, p, from, to)), cells,
                atTo.size() + atFrom.size(), se, df);
    }

    /** The model's effect: the ratio of the geometric means of the rows predicted at {@code to} and at {@code from}. */
    private static double partialDependence(LatencyModel model, List<TrainingRow> rows, TunableParameter p, long from,
            long to) {
        double sum = 0;
        for (TrainingRow r : rows) {
            sum += Math.log(Math.max(1, model.predictMicros(with(r, p, to))))
                    - Math.log(Math.max(1, model.predictMicros(with(r, p, from))));
        }
        return rows.isEmpty() ? 0 : Math.expm1(sum / rows.size());
    }

    static long value(TrainingRow r, TunableParameter p) {
        return (long) LatencyFeatures.value(r, p.wireName()); // the features are named as the parameters on the wire
    }

    static TrainingRow with(TrainingRow r, TunableParameter p, long v) {
        return new TrainingRow(r.messageType(), r.payloadSize(), r.wireBytes(), r.compressed(), r.throughput(), r.cpu(),
                r.memory(), r.connections(),
                p == TunableParameter.BUFFER_SIZE ? v : r.bufferSize(),
                p == TunableParameter.HEARTBEAT_INTERVAL ? v : r.heartbeatInterval(),
                p == TunableParameter.COMPRESSION_THRESHOLD ? v : r.compressionThreshold(),
                p == TunableParameter.MAX_CONNECTIONS ? v : r.maxConnections(),
                p == TunableParameter.MAX_FRAME_BYTES ? v : r.maxFrameBytes(),
                r.paramVersion(), r.latencyMicros(), r.eventTimeMillis());
    }

    /** Mean of the runs' means (each run one unit, whatever its size). */
    private static double mean(List<double[]> runs) {
        return runs.stream().mapToDouble(r -> r[0]).average().orElse(0);
    }

    private static double variance(List<double[]> runs, double mean) {
        return runs.stream().mapToDouble(r -> (r[0] - mean) * (r[0] - mean)).sum() / (runs.size() - 1);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
