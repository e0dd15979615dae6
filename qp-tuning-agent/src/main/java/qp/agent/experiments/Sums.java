package qp.agent.experiments;

import java.util.HashMap;
import java.util.Map;

/** Numerator and denominator sums per stratum, for one arm and bucket. */
final class Sums {
    final Map<String, double[]> byStratum = new HashMap<>();

    /** Always true, so that a reading can add and answer in one expression. */
    boolean add(String stratum, double numerator, double denominator) {
        double[] s = byStratum.computeIfAbsent(stratum, k -> new double[2]);
        s[0] += numerator;
        s[1] += denominator;
        return true;
    }

    void addAll(Sums other) {
        other.byStratum.forEach((k, v) -> add(k, v[0], v[1]));
    }
}
