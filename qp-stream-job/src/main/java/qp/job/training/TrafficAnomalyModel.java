package qp.job.training;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An isolation-forest-style detector of unusual windows: a Random Cut Forest over a node's standardised window
 * features ({@link TrafficFeatures}), with a false-alarm budget: its threshold is the score that a window of normal
 * traffic exceeds with probability {@code falseAlarmShare} ({@link ScoreTail}: a tail fit of out-of-sample scores).
 * Live windows are scored first and then taken into the forest and the tail fit ({@link #observe}), except those
 * above the threshold: an incident must not teach the model that it is normal. Kept as bytes: the standardisation,
 * the tail fit and RCF's own state mapper output (Java-serialized {@code RandomCutForestState}), never Kryo.
 */
public final class TrafficAnomalyModel {
    static final int TREES = 50;
    static final int SAMPLE_SIZE = 256;
    /** The tail fit starts at the 90% score: a budget must stay well inside it. */
    public static final double MAX_FALSE_ALARM_SHARE = 0.05;
    /** 1: the build before the false-alarm budget (threshold at a contamination quantile); not read any more. */
    static final int FORMAT = 2;

    private final double[] means;
    private final double[] sds;
    private final ScoreTail tail;
    private final double medianScore;
    private final RandomCutForest forest;

    /** A live window's judgement: its out-of-sample score and the threshold in force for it. */
    public record Verdict(double score, double threshold) {
        public boolean outlier() {
            return score > threshold;
        }
    }

    private TrafficAnomalyModel(double[] means, double[] sds, ScoreTail tail, double medianScore,
            RandomCutForest forest) {
        this.means = means;
        this.sds = sds;
        this.tail = tail;
        this.medianScore = medianScore;
        this.forest = forest;
    }

    /**
     * Trains on a node's recent window vectors.
     *
     * @param falseAlarmShare the share of normal windows allowed above the threshold (false alarms per hour × window
     *                        seconds / 3600)
     */
    public static TrafficAnomalyModel train(List<double[]> windows, double falseAlarmShare, long seed) {
        if (windows.size() < 16) {
            throw new IllegalArgumentException("need at least 16 windows to train the anomaly model, got " + windows.size());
        }
        if (!(falseAlarmShare > 0 && falseAlarmShare <= MAX_FALSE_ALARM_SHARE)) {
            throw new IllegalArgumentException("the false-alarm share per window must be in (0, " + MAX_FALSE_ALARM_SHARE
                    + "], got " + falseAlarmShare);
        }
        int d = windows.get(0).length;
        // median and MAD, not mean and σ: the training windows hold outliers, which must not stretch the scale
        double[] means = new double[d];
        double[] sds = new double[d];
        for (int i = 0; i < d; i++) {
            int f = i;
            double[] col = windows.stream().mapToDouble(w -> w[f]).sorted().toArray();
            means[i] = col[col.length / 2];
            double[] dev = Arrays.stream(col).map(x -> Math.abs(x - means[f])).sorted().toArray();
            sds[i] = Math.max(1.4826 * dev[dev.length / 2], 0.01); // a constant feature must not make every change infinite
        }
        RandomCutForest forest = RandomCutForest.builder().dimensions(d).numberOfTrees(TREES)
                .sampleSize(SAMPLE_SIZE).outputAfter(1).randomSeed(seed).timeDecay(0).build();
        // Calibrated on out-of-sample scores: each window after the first quarter is scored before the forest takes it in,
        // as a live window is. In-sample scores (a window the forest holds) are lower, and a threshold taken from them
        // flagged about 30% of live windows where 10% were meant.
        int calibrateFrom = windows.size() / 4;
        double[] scores = new double[windows.size() - calibrateFrom];
        for (int i = 0; i < windows.size(); i++) {
            double[] z = standardise(windows.get(i), means, sds);
            if (i >= calibrateFrom) {
                scores[i - calibrateFrom] = forest.getAnomalyScore(z);
            }
            forest.update(z);
        }
        ScoreTail tail = ScoreTail.fit(scores, falseAlarmShare);
        Arrays.sort(scores);
        return new TrafficAnomalyModel(means, sds, tail, scores[scores.length / 2], forest);
    }

    /**
     * Judges a live window and learns from it: scored out of sample first, then, unless it is above the threshold,
     * taken into the forest and into the tail fit.
     */
    public Verdict observe(double[] window) {
        double[] z = standardise(window, means, sds);
        Verdict v = new Verdict(forest.getAnomalyScore(z), tail.threshold());
        tail.observe(v.score(), v.threshold());
        if (!v.outlier()) {
            forest.update(z);
        }
        return v;
    }

    /** A window's score, without learning from it. */
    public double score(double[] window) {
        return forest.getAnomalyScore(standardise(window, means, sds));
    }

    public boolean isOutlier(double score) {
        return score > threshold();
    }

    public double threshold() {
        return tail.threshold();
    }

    /** The share of normal windows the threshold lets through: the false-alarm budget per window. */
    public double falseAlarmShare() {
        return tail.targetShare();
    }

    /** Out-of-sample scores the threshold is fitted on so far, calibration and live (those above it left out). */
    public long scoresSeen() {
        return tail.kept();
    }

    public double medianScore() {
        return medianScore;
    }

    /** The features that made a window unusual, with their share of its score, largest first. */
    public Map<String, Double> attribution(double[] window, int top) {
        DiVector a = forest.getAnomalyAttribution(standardise(window, means, sds));
        double total = 0;
        double[] per = new double[a.getDimensions()];
        for (int i = 0; i < per.length; i++) {
            per[i] = a.high[i] + a.low[i];
            total += per[i];
        }
        Integer[] order = new Integer[per.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> per[i]).reversed());
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < Math.min(top, order.length); k++) {
            int i = order[k];
            out.put(TrafficFeatures.NAMES.get(i), total == 0 ? 0 : Math.round(1000 * per[i] / total) / 1000.0);
        }
        return out;
    }

    /** How far a feature is from its training median, in robust σ (MAD) (for the evidence sentence). */
    public double sigmas(double[] window, int feature) {
        return (window[feature] - means[feature]) / sds[feature];
    }

    public byte[] toBytes() {
        try {
            RandomCutForestMapper mapper = new RandomCutForestMapper();
            mapper.setSaveExecutorContextEnabled(true);
            mapper.setSaveTreeStateEnabled(true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(FORMAT);
                out.writeInt(means.length);
                for (int i = 0; i < means.length; i++) {
                    out.writeDouble(means[i]);
                    out.writeDouble(sds[i]);
                }
                tail.write(out);
                out.writeDouble(medianScore);
                ObjectOutputStream objects = new ObjectOutputStream(out);
                objects.writeObject(mapper.toState(forest));
                objects.flush();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The format of a model's bytes: {@link #FORMAT}, or an older one (a model to retrain), or -1 when too short. */
    public static int format(byte[] bytes) {
        return bytes == null || bytes.length < 4 ? -1
                : ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    public static TrafficAnomalyModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("traffic anomaly model format " + format + " is not " + FORMAT
                        + (format == 1 ? " (a model of the build before the false-alarm budget: retrain it)" : ""));
            }
            int d = in.readInt();
            double[] means = new double[d];
            double[] sds = new double[d];
            for (int i = 0; i < d; i++) {
                means[i] = in.readDouble();
                sds[i] = in.readDouble();
            }
            ScoreTail tail = ScoreTail.read(in);
            double median = in.readDouble();
            RandomCutForestState state = (RandomCutForestState) new ObjectInputStream(in).readObject();
            return new TrafficAnomalyModel(means, sds, tail, median, new RandomCutForestMapper().toModel(state));
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("not a serialized traffic anomaly model: " + e.getMessage(), e);
        }
    }

    private static double[] standardise(double[] w, double[] means, double[] sds) {
        double[] z = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            z[i] = (w[i] - means[i]) / sds[i];
        }
        return z;
    }
}
