package qp.agent.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ArmMetric;

/**
 * Treatment against control on one metric over the windows of an experiment, compared like with like: the metric is
 * computed per stratum (type, direction, payload band) and the strata are weighted alike in both arms (by their
 * combined denominator), so a shift of the mix moves both arms' figures the same way. The interval comes from a
 * delete-one-bucket jackknife: buckets (random groups of sessions, or switchback blocks) are the independent units,
 * so sessions that stay in one arm for the whole experiment are not counted as many independent frames.
 */
public final class ArmComparison {
    private final ArmMetric metric;
    /** arm -> bucket -> sums per stratum */
    private final Map<String, Map<Long, Sums>> arms = new TreeMap<>();
    private final Map<String, Long> frames = new TreeMap<>();

    public ArmComparison(ArmMetric metric) {
        this.metric = metric;
        arms.put(Arm.CONTROL.wire(), new TreeMap<>());
        arms.put(Arm.TREATMENT.wire(), new TreeMap<>());
    }

    /** Adds one window of the experiment. */
    public ArmComparison add(ExperimentStats w) {
        for (ExperimentStats.Cell c : w.cells()) {
            Map<Long, Sums> buckets = arms.get(c.arm());
            if (buckets == null) {
                continue; // an arm this agent does not know: not counted
            }
            if (MetricReading.add(metric, c, buckets.computeIfAbsent(c.bucket(), b -> new Sums()))) {
                frames.merge(c.arm(), c.frames(), Long::sum);
            }
        }
        if (MetricReading.hasExposure(metric)) {
            for (Map.Entry<String, Map<Long, Sums>> arm : arms.entrySet()) {
                for (Long bucket : bucketsSeen(w, arm.getKey())) {
                    MetricReading.addExposure(metric, w, arm.getKey(),
                            bucket, arm.getValue().computeIfAbsent(bucket, b -> new Sums()));
                }
            }
        }
        return this;
    }

    private static List<Long> bucketsSeen(ExperimentStats w, String arm) {
        List<Long> out = new ArrayList<>();
        for (ExperimentStats.Cell c : w.cells()) {
            if (c.arm().equals(arm) && !out.contains(c.bucket())) {
                out.add(c.bucket());
            }
        }
        if (w.units() != null) {
            for (ExperimentStats.Units u : w.units()) {
                if (u.arm().equals(arm) && !out.contains(u.bucket())) {
                    out.add(u.bucket());
                }
            }
        }
        return out;
    }

    /**
     * The estimate with a two-sided interval at {@code level}; null when either arm has fewer than two buckets with
     * data, or the control arm's metric is zero while the treatment's is not (no relative effect exists).
     */
    public Estimate estimate(double level) {
        List<Sums> control = nonEmpty(arms.get(Arm.CONTROL.wire()));
        List<Sums> treatment = nonEmpty(arms.get(Arm.TREATMENT.wire()));
        if (control.size() < 2 || treatment.size() < 2) {
            return null;
        }
        Sums c = total(control);
        Sums t = total(treatment);
        double[] point = stratified(c, t);
        if (point == null) {
            return null;
        }
        double effect = relative(point);
        if (Double.isNaN(effect)) {
            return null;
        }
        double variance = jackknifeVariance(control, t, true) + jackknifeVariance(treatment, c, false);
        int df = Math.min(control.size(), treatment.size()) - 1;
        double q = quantile(df, level);
        double half = q * Math.sqrt(variance);
        // a relative change of a non-negative metric cannot go below -100%: the interval is cut there
        return new Estimate(effect, Math.max(-1, effect - half), effect + half, level, point[0], point[1],
                frames.getOrDefault(Arm.CONTROL.wire(), 0L), frames.getOrDefault(Arm.TREATMENT.wire(), 0L),
                control.size(), treatment.size());
    }

    /** Frames of an arm that the metric read (for sentences even when there is no estimate yet). */
    public long frames(Arm arm) {
        return frames.getOrDefault(arm.wire(), 0L);
    }

    /** Buckets of an arm with data. */
    public int units(Arm arm) {
        return nonEmpty(arms.get(arm.wire())).size();
    }

    /** Sum over the jackknife replicates that leave out one bucket of {@code arm}, the other arm whole. */
    private static double jackknifeVariance(List<Sums> arm, Sums otherArm, boolean armIsControl) {
        int n = arm.size();
        double[] thetas = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            Sums without = new Sums();
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    without.addAll(arm.get(j));
                }
            }
            double[] v = armIsControl ? stratified(without, otherArm) : stratified(otherArm, without);
            thetas[i] = v == null ? Double.NaN : relative(v);
            mean += thetas[i] / n;
        }
        double ss = 0;
        for (double th : thetas) {
            ss += (th - mean) * (th - mean);
        }
        return Double.isNaN(ss) ? Double.POSITIVE_INFINITY : (n - 1.0) / n * ss;
    }

    /**
     * {control, treatment} of the metric, each the strata's ratios weighted by the strata's combined denominator,
     * over the strata both arms saw. Null when they share none.
     */
    static double[] stratified(Sums control, Sums treatment) {
        double weightSum = 0;
        double cv = 0;
        double tv = 0;
        for (Map.Entry<String, double[]> e : control.byStratum.entrySet()) {
            double[] cs = e.getValue();
            double[] ts = treatment.byStratum.get(e.getKey());
            if (ts == null || cs[1] <= 0 || ts[1] <= 0) {
                continue;
            }
            double w = cs[1] + ts[1];
            cv += w * cs[0] / cs[1];
            tv += w * ts[0] / ts[1];
            weightSum += w;
        }
        return weightSum == 0 ? null : new double[] {cv / weightSum, tv / weightSum};
    }

    private static double relative(double[] v) {
        if (v[0] == 0) {
            return v[1] == 0 ? 0 : Double.NaN;
        }
        return v[1] / v[0] - 1;
    }

    private static List<Sums> nonEmpty(Map<Long, Sums> buckets) {
        List<Sums> out = new ArrayList<>();
        for (Sums s : buckets.values()) {
            boolean any = s.byStratum.values().stream().anyMatch(v -> v[1] > 0);
            if (any) {
                out.add(s);
            }
        }
        return out;
    }

    private static Sums total(List<Sums> parts) {
        Sums all = new Sums();
        parts.forEach(all::addAll);
        return all;
    }

    /** The two-sided quantile of Student's t with {@code df} degrees of freedom (normal when df is large). */
    static double quantile(int df, double level) {
        double p = 1 - (1 - level) / 2;
        return df >= 200 ? new NormalDistribution().inverseCumulativeProbability(p)
                : new TDistribution(df).inverseCumulativeProbability(p);
    }
}
