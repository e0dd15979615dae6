package qp.agent.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import qp.agent.experiments.ArmComparison;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ArmAssignment;

/**
 * Generates an experiment's windows (session assignment, compression-like metric) from simulated sessions with a known true effect on outgoing wire bytes per raw
 * byte: each session has its own payload mix and a persistent multiplier of its own (sessions differ, and stay
 * different for the whole experiment), and the treatment multiplies every stratum's ratio by {@code 1 + effect}.
 * It also keeps the raw per-arm, per-stratum sums so that a test computes the expected figure itself.
 */
public final class SimulatedArms {
    static final String[] TYPES = {"ACK", "STREAM", "DATA"};
    static final String[] BANDS = {"small", "medium", "large"};
    static final double[] BASE_RATIO = {1.0, 0.6, 0.35}; // by band: larger payloads compress better

    public final List<ExperimentStats> windows = new ArrayList<>();
    /** arm -> stratum -> {wire, raw}: the data as generated, for the test's own oracle. */
    final Map<String, Map<String, double[]>> truth = new HashMap<>();

    public SimulatedArms(long seed, int sessions, double share, double effect, int windowCount, boolean mixShift) {
        this("edge-1", "sim-" + seed, 0, 1_000, seed, sessions, share, effect, windowCount, mixShift, 0, 0);
    }

    /**
     * Windows of {@code windowMs} from {@code startMs} of experiment {@code id} on {@code node}. With
     * {@code p99ControlMicros} above 0, each window also holds COMMAND latency percentiles per arm (treatment at
     * {@code p99TreatmentMicros}) over 200 samples each.
     */
    public SimulatedArms(String node, String id, long startMs, long windowMs, long seed, int sessions, double share,
            double effect, int windowCount, boolean mixShift, double p99ControlMicros, double p99TreatmentMicros) {
        Random rnd = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<Double> multiplier = new ArrayList<>();
        List<double[]> bandMix = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            ids.add("session-" + seed + "-" + s);
            multiplier.add(Math.exp(0.15 * rnd.nextGaussian()));
            bandMix.add(new double[] {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()});
        }
        for (int w = 0; w < windowCount; w++) {
            boolean shifted = mixShift && w >= windowCount / 2;
            int framesPerSession = shifted ? 80 : 40; // the load doubles halfway
            Map<String, long[]> cells = new HashMap<>();
            for (int s = 0; s < sessions; s++) {
                Arm arm = ArmAssignment.sessionArm(id, ids.get(s), share);
                int bucket = ArmAssignment.sessionBucket(id, ids.get(s));
                for (int f = 0; f < framesPerSession; f++) {
                    int type = shifted ? (rnd.nextDouble() < 0.7 ? 1 : rnd.nextInt(3)) : rnd.nextInt(3);
                    int band = pick(bandMix.get(s), rnd);
                    long raw = 200 + rnd.nextInt(800) * (1L << (2 * band));
                    double ratio = BASE_RATIO[band] * (type == 1 ? 0.9 : 1.0) * multiplier.get(s)
                            * (arm == Arm.TREATMENT ? 1 + effect : 1) * (1 + 0.05 * rnd.nextGaussian());
                    long wire = Math.max(1, Math.round(raw * ratio));
                    String key = arm.wire() + "|" + bucket + "|" + TYPES[type] + "|" + BANDS[band];
                    long[] c = cells.computeIfAbsent(key, k -> new long[3]);
                    c[0] += wire;
                    c[1] += raw;
                    c[2]++;
                    double[] t = truth.computeIfAbsent(arm.wire(), k -> new HashMap<>())
                            .computeIfAbsent(TYPES[type] + "|" + BANDS[band], k -> new double[2]);
                    t[0] += wire;
                    t[1] += raw;
                }
            }
            List<ExperimentStats.Cell> out = new ArrayList<>();
            cells.forEach((k, v) -> {
                String[] p = k.split("\\|");
                out.add(new ExperimentStats.Cell(p[0], Long.parseLong(p[1]), p[2], "OUT", p[3], v[2], v[0], v[1], 0, 0, 0,
                        0));
            });
            List<ExperimentStats.Latency> latency = p99ControlMicros <= 0 ? List.of() : List.of(
                    new ExperimentStats.Latency("control", "COMMAND", "IN", "small", 200, p99ControlMicros / 3,
                            p99ControlMicros / 1.5, p99ControlMicros),
                    new ExperimentStats.Latency("treatment", "COMMAND", "IN", "small", 200, p99TreatmentMicros / 3,
                            p99TreatmentMicros / 1.5, p99TreatmentMicros));
            windows.add(new ExperimentStats(node, id, startMs + windowMs * w, startMs + windowMs * (w + 1), out,
                    latency, List.of()));
        }
    }

    private static int pick(double[] weights, Random rnd) {
        double total = weights[0] + weights[1] + weights[2];
        double x = rnd.nextDouble() * total;
        return x < weights[0] ? 0 : x < weights[0] + weights[1] ? 1 : 2;
    }

    /** The effect computed from the generated sums: per-stratum ratios, strata weighted by their raw bytes. */
    public double observedEffect() {
        Map<String, double[]> c = truth.get(Arm.CONTROL.wire());
        Map<String, double[]> t = truth.get(Arm.TREATMENT.wire());
        double cv = 0;
        double tv = 0;
        double weights = 0;
        for (String stratum : c.keySet()) {
            if (!t.containsKey(stratum)) {
                continue;
            }
            double w = c.get(stratum)[1] + t.get(stratum)[1];
            cv += w * c.get(stratum)[0] / c.get(stratum)[1];
            tv += w * t.get(stratum)[0] / t.get(stratum)[1];
            weights += w;
        }
        return (tv / weights) / (cv / weights) - 1;
    }

    public ArmComparison comparison() {
        ArmComparison cmp = new ArmComparison(qp.protocol.experiments.ArmMetric.WIRE_BYTES_PER_RAW_BYTE);
        windows.forEach(cmp::add);
        return cmp;
    }
}
