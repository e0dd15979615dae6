package qp.agent.experiments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ArmMetric;
import qp.protocol.experiments.ExperimentGoal;

/**
 * The guards of an experiment, checked on every new window: the treatment arm must not be worse than the control
 * arm in the same window (switchback: the latest control window) by more than a set margin. A breach ends the
 * experiment at once, so the treatment's exposure to it is at most one window. The latency guard asks the whole
 * distribution to have moved, not one window's tail: with a few hundred frames per arm, a window's p99 is its few
 * slowest frames, and on a busy machine a scheduling hiccup puts them in either arm (seen: a no-effect change whose
 * arms ran identical code had treatment p99 4989 us against control 1781 us in one window). And it asks the
 * treatment's buckets to be slower as a group, not a few sessions: with identical arms at load average 15, two
 * starved sessions made one window's treatment p99 35 ms against 6.7 ms and its median x1.34; the buckets' mean
 * latencies (each bucket a random group of sessions) then differ by a Welch t well under 3.
 *
 * @param p99Increase        p99 breaks when the treatment's is higher by more than this share ...
 * @param p99MinMicros       ... and by more than this many microseconds (loopback latencies are tiny and noisy)
 * @param errorRateIncrease  the error rate (refusals aside) breaks when the treatment's is higher by more than this
 * <p>Every experiment also has the service levels' guards, whatever its parameter: it stops when its treatment breaks
 * an SLO that its control keeps (a stratum's p99 over {@code --slo-p99} with the buckets slower as a group, or the
 * error or refusal rate over its SLO). A change may cost latency within the SLO; it may not cost the SLO itself.
 *
 * @param minSamples         a stratum is compared only with at least this many frames in each arm
 * @param slo                the operator's service levels
 */
public record Guards(double p99Increase, long p99MinMicros, double errorRateIncrease, long minSamples,
        ServiceLevels slo) {

    /** {@code --slo-p99} in microseconds, {@code --slo-error-rate}, {@code --slo-refusal-rate}. */
    public record ServiceLevels(long p99Micros, double errorRate, double refusalRate) {
        /** No service level: the SLO guards never break (tests of the other guards). */
        public static final ServiceLevels NONE = new ServiceLevels(Long.MAX_VALUE, 1, 1);
    }

    public Guards(double p99Increase, long p99MinMicros, double errorRateIncrease, long minSamples) {
        this(p99Increase, p99MinMicros, errorRateIncrease, minSamples, ServiceLevels.NONE);
    }

    /** Welch's t the treatment buckets' mean latency must exceed control's by, when each arm has 3 buckets or more. */
    public static final double GROUP_T = 3.0;

    /** The first guard that breaks in {@code treatment} against {@code control}, as a sentence; empty when all hold. */
    public Optional<String> breach(List<ArmMetric> guards, ExperimentStats control, ExperimentStats treatment) {
        return breach(guards, false, control, treatment);
    }

    /**
     * The first guard of {@code goal} that breaks, then the SLO guards; a goal that sheds load on purpose (a lower
     * max_connections) is not held to the refusal-rate SLO, since refusals are what it pays for its latency.
     */
    public Optional<String> breach(ExperimentGoal goal, ExperimentStats control, ExperimentStats treatment) {
        return breach(goal.guards(), goal.shedsLoad(), control, treatment);
    }

    private Optional<String> breach(List<ArmMetric> guards, boolean shedsLoad, ExperimentStats control,
            ExperimentStats treatment) {
        for (ArmMetric g : guards) {
            Optional<String> b = switch (g) {
                case LATENCY_P99 -> p99(control, treatment);
                case ERROR_RATE -> errorRate(control, treatment);
                case ADMITTED_LATENCY -> meanLatency(control, treatment);
                default -> Optional.empty();
            };
            if (b.isPresent()) {
                return b;
            }
        }
        Optional<String> slo = sloP99(control, treatment).or(() -> sloRate(control, treatment, false));
        return shedsLoad ? slo : slo.or(() -> sloRate(control, treatment, true));
    }

    /** A stratum whose treatment p99 is over the SLO while its control's is within it, the buckets slower as a group. */
    Optional<String> sloP99(ExperimentStats control, ExperimentStats treatment) {
        if (slo.p99Micros() == Long.MAX_VALUE) {
            return Optional.empty();
        }
        Map<String, ExperimentStats.Latency> c = latencyOf(control, Arm.CONTROL);
        for (ExperimentStats.Latency t : latencyOf(treatment, Arm.TREATMENT).values()) {
            ExperimentStats.Latency cc = c.get(stratum(t));
            if (cc == null || t.samples() < minSamples || cc.samples() < minSamples) {
                continue;
            }
            if (t.p99Micros() > slo.p99Micros() && cc.p99Micros() <= slo.p99Micros()) {
                double groupT = bucketWelchT(control, treatment);
                if (groupT > GROUP_T) {
                    return Optional.of(String.format("guard slo_p99 broke: %s treatment p99 %.0f us over the SLO %d us, "
                            + "control %.0f us within it (buckets' Welch t %.1f > %.0f)", stratum(t), t.p99Micros(),
                            slo.p99Micros(), cc.p99Micros(), groupT, GROUP_T));
                }
            }
        }
        return Optional.empty();
    }

    /** The treatment's error rate (refusals aside), or its refusal rate, over its SLO while control's is within it. */
    Optional<String> sloRate(ExperimentStats control, ExperimentStats treatment, boolean refusals) {
        double[] c = refusals ? refusals(control, Arm.CONTROL) : errors(control, Arm.CONTROL);
        double[] t = refusals ? refusals(treatment, Arm.TREATMENT) : errors(treatment, Arm.TREATMENT);
        double level = refusals ? slo.refusalRate() : slo.errorRate();
        if (c[1] < minSamples || t[1] < minSamples) {
            return Optional.empty();
        }
        double rc = c[0] / c[1];
        double rt = t[0] / t[1];
        String what = refusals ? "slo_refusal_rate" : "slo_error_rate";
        return rt > level && rc <= level ? Optional.of(String.format("guard %s broke: treatment %.2f%% of %d frames "
                + "over the SLO %.2f%%, control %.2f%% of %d within it", what, 100 * rt, (long) t[1], 100 * level,
                100 * rc, (long) c[1])) : Optional.empty();
    }

    /**
     * p99 per stratum; the strata's ratios combined as a geometric mean weighted by their smaller sample. Breaks when
     * p99 rose by more than the share and the microseconds set, and the median rose by more than half that share.
     */
    Optional<String> p99(ExperimentStats control, ExperimentStats treatment) {
        Map<String, ExperimentStats.Latency> c = latencyOf(control, Arm.CONTROL);
        double weight = 0;
        double logRatio = 0;
        double logMedianRatio = 0;
        double diff = 0;
        double cSum = 0;
        double tSum = 0;
        for (ExperimentStats.Latency t : latencyOf(treatment, Arm.TREATMENT).values()) {
            ExperimentStats.Latency cc = c.get(stratum(t));
            if (cc == null || t.samples() < minSamples || cc.samples() < minSamples || cc.p99Micros() <= 0) {
                continue;
            }
            double w = Math.min(t.samples(), cc.samples());
            logRatio += w * Math.log(t.p99Micros() / cc.p99Micros());
            logMedianRatio += w * Math.log(Math.max(1, t.p50Micros()) / Math.max(1, cc.p50Micros()));
            diff += w * (t.p99Micros() - cc.p99Micros());
            cSum += w * cc.p99Micros();
            tSum += w * t.p99Micros();
            weight += w;
        }
        if (weight == 0) {
            return Optional.empty();
        }
        double ratio = Math.exp(logRatio / weight);
        double medianRatio = Math.exp(logMedianRatio / weight);
        double moreMicros = diff / weight;
        boolean tailRose = ratio > 1 + p99Increase && moreMicros > p99MinMicros;
        boolean wholeDistributionMoved = medianRatio > 1 + p99Increase / 2;
        double groupT = bucketWelchT(control, treatment);
        boolean bucketsSlowerAsAGroup = Double.isNaN(groupT) || groupT > GROUP_T;
        return tailRose && wholeDistributionMoved && bucketsSlowerAsAGroup ? Optional.of(String.format(
                "guard latency_p99 broke: treatment p99 %.0f us against control %.0f us (x%.2f, +%.0f us; median x%.2f; "
                + "buckets' mean latency t %.1f; guard +%.0f%% and +%d us, median +%.0f%%, t > %.0f)", tSum / weight,
                cSum / weight, ratio, moreMicros, medianRatio, groupT, 100 * p99Increase, p99MinMicros,
                50 * p99Increase, GROUP_T)) : Optional.empty();
    }

    /**
     * Welch's t of the treatment buckets' mean latency over the control buckets' (each bucket's latency sum over its
     * frames with a latency, all strata); NaN when either arm has fewer than 3 buckets with latencies.
     */
    static double bucketWelchT(ExperimentStats control, ExperimentStats treatment) {
        double[] c = bucketMeans(control, Arm.CONTROL);
        double[] t = bucketMeans(treatment, Arm.TREATMENT);
        if (c.length < 3 || t.length < 3) {
            return Double.NaN;
        }
        double se = Math.sqrt(variance(c) / c.length + variance(t) / t.length);
        double diff = mean(t) - mean(c);
        return se == 0 ? (diff > 0 ? Double.POSITIVE_INFINITY : 0) : diff / se;
    }

    private static double[] bucketMeans(ExperimentStats w, Arm arm) {
        Map<Long, double[]> byBucket = new HashMap<>();
        for (ExperimentStats.Cell c : w.cells()) {
            if (c.arm().equals(arm.wire()) && c.latencyFrames() > 0) {
                double[] s = byBucket.computeIfAbsent(c.bucket(), b -> new double[2]);
                s[0] += c.latencySumMicros();
                s[1] += c.latencyFrames();
            }
        }
        return byBucket.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    }

    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    private static double variance(double[] xs) {
        double m = mean(xs);
        double ss = 0;
        for (double x : xs) {
            ss += (x - m) * (x - m);
        }
        return ss / (xs.length - 1);
    }

    Optional<String> errorRate(ExperimentStats control, ExperimentStats treatment) {
        double[] c = errors(control, Arm.CONTROL);
        double[] t = errors(treatment, Arm.TREATMENT);
        if (c[1] < minSamples || t[1] < minSamples) {
            return Optional.empty();
        }
        double rc = c[0] / c[1];
        double rt = t[0] / t[1];
        return rt - rc > errorRateIncrease ? Optional.of(String.format("guard error_rate broke: treatment %.2f%% of "
                + "%d frames against control %.2f%% of %d (guard +%.2f points)", 100 * rt, (long) t[1], 100 * rc,
                (long) c[1], 100 * errorRateIncrease)) : Optional.empty();
    }

    Optional<String> meanLatency(ExperimentStats control, ExperimentStats treatment) {
        Sums c = new Sums();
        Sums t = new Sums();
        for (ExperimentStats.Cell cell : control.cells()) {
            if (cell.arm().equals(Arm.CONTROL.wire())) {
                MetricReading.add(ArmMetric.ADMITTED_LATENCY, cell, c);
            }
        }
        for (ExperimentStats.Cell cell : treatment.cells()) {
            if (cell.arm().equals(Arm.TREATMENT.wire())) {
                MetricReading.add(ArmMetric.ADMITTED_LATENCY, cell, t);
            }
        }
        double[] v = ArmComparison.stratified(c, t);
        if (v == null || v[0] <= 0) {
            return Optional.empty();
        }
        boolean broken = v[1] / v[0] > 1 + p99Increase && v[1] - v[0] > p99MinMicros;
        return broken ? Optional.of(String.format("guard admitted_latency broke: treatment %.0f us against control "
                + "%.0f us (guard +%.0f%% and +%d us)", v[1], v[0], 100 * p99Increase, p99MinMicros)) : Optional.empty();
    }

    private static Map<String, ExperimentStats.Latency> latencyOf(ExperimentStats w, Arm arm) {
        Map<String, ExperimentStats.Latency> m = new HashMap<>();
        for (ExperimentStats.Latency l : w.latency() == null ? List.<ExperimentStats.Latency>of() : w.latency()) {
            if (l.arm().equals(arm.wire())) {
                m.put(stratum(l), l);
            }
        }
        return m;
    }

    private static String stratum(ExperimentStats.Latency l) {
        return l.type() + "|" + l.direction() + "|" + l.band();
    }

    /** Errors (refusals aside) and frames of one arm. */
    private static double[] errors(ExperimentStats w, Arm arm) {
        return count(w, arm, c -> c.errors() - c.refusals());
    }

    /** Refusals and frames of one arm. */
    private static double[] refusals(ExperimentStats w, Arm arm) {
        return count(w, arm, ExperimentStats.Cell::refusals);
    }

    private static double[] count(ExperimentStats w, Arm arm, ToLongFunction<ExperimentStats.Cell> what) {
        double[] e = new double[2];
        for (ExperimentStats.Cell c : w.cells()) {
            if (c.arm().equals(arm.wire())) {
                e[0] += what.applyAsLong(c);
                e[1] += c.frames();
            }
        }
        return e;
    }
}
