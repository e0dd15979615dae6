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
 * features ({@link TrafficFeatures}), with its score threshold calibrated so that the share {@code contamination}
 * of the training windows lies above it, scored out of sample (before the forest holds them, as live windows are). Kept as bytes: the standardisation, the threshold and RCF's own state
 * mapper output (Java-serialized {@code RandomCutForestState}), never Kryo.
 */
public final class TrafficAnomalyModel {
    static final int TREES = 50;
    static final int SAMPLE_SIZE = 256;
    private static final int FORMAT = 1;

    private final double[] means;
    private final double[] sds;
    private final double threshold;
    private final double medianScore;
    private final RandomCutForest forest;

    private TrafficAnomalyModel(double[] means, double[] sds, double threshold, double medianScore,
            RandomCutForest forest) {
        this.means = means;
        this.sds = sds;
        this.threshold = threshold;
        this.medianScore = medianScore;
        this.forest = forest;
    }

    /** Trains on a node's recent window vectors. */
    public static TrafficAnomalyModel train(List<double[]> windows, double contamination, long seed) {
        if (windows.size() < 16) {
            throw new IllegalArgumentException("need at least 16 windows to train the anomaly model, got " + windows.size());
        }
        if (!(contamination > 0 && contamination < 0.5)) {
            throw new IllegalArgumentException("contamination must be in (0, 0.5), got " + contamination);
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
        // flagged about 30% of live windows at a contamination of 10%.
        int calibrateFrom = windows.size() / 4;
        double[] scores = new double[windows.size() - calibrateFrom];
        for (int i = 0; i < windows.size(); i++) {
            double[] z = standardise(windows.get(i), means, sds);
            if (i >= calibrateFrom) {
                scores[i - calibrateFrom] = forest.getAnomalyScore(z);
            }
            forest.update(z);
        }
        Arrays.sort(scores);
        double threshold = scores[Math.min(scores.length - 1, (int) Math.floor((1 - contamination) * scores.length))];
        return new TrafficAnomalyModel(means, sds, threshold, scores[scores.length / 2], forest);
    }

    public double score(double[] window) {
        return forest.getAnomalyScore(standardise(window, means, sds));
    }

    public boolean isOutlier(double score) {
        return score > threshold;
    }

    public double threshold() {
        return threshold;
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
                out.writeDouble(threshold);
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

    public static TrafficAnomalyModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("traffic anomaly model format " + format + " is not " + FORMAT);
            }
            int d = in.readInt();
            double[] means = new double[d];
            double[] sds = new double[d];
            for (int i = 0; i < d; i++) {
                means[i] = in.readDouble();
                sds[i] = in.readDouble();
            }
            double threshold = in.readDouble();
            double median = in.readDouble();
            RandomCutForestState state = (RandomCutForestState) new ObjectInputStream(in).readObject();
            return new TrafficAnomalyModel(means, sds, threshold, median, new RandomCutForestMapper().toModel(state));
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
