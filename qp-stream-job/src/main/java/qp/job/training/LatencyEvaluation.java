package qp.job.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains a latency model on {@link LatencyCells} and scores it on held-out ones: R² of ln(latency), MAE in µs, and
 * the permutation importance of each feature (how much R² drops when that feature's values are shuffled among the
 * test cells). Permutation, not split counts: split counts rank noise features high (DESIGN.md).
 *
 * <p>The test cells are held out forward in time: the last seconds of the sample (about 20% of the cells), after a gap
 * (5% of the sample's span, at least a second) that is in neither set. Not a random share of the cells, nor random
 * whole seconds between training seconds: cells of one second share its node sample and its load, and neighbouring
 * seconds share the phase of the load, so a forest that saw them recalls the latency instead of predicting it (a
 * held-out score that says nothing about the traffic to come, which is what a recommendation is about). R² is taken
 * on ln(latency) because latency is multiplicative and heavy-tailed: on the raw scale a few slow cells decide it.
 */
public final class LatencyEvaluation {
    static final double TEST_SHARE = 0.2;
    static final double GAP_SHARE = 0.05;
    static final int MAX_IMPORTANCE_ROWS = 1000;
    static final int MIN_CELLS = 10;

    private LatencyEvaluation() {
    }

    /**
     * A trained model with its held-out scores.
     *
     * @param trainRows cells trained on
     * @param testRows  cells scored on
     * @param frames    frames in all cells
     * @param rawR2     R² of the raw latency on the test cells (reported, not gated)
     * @param split     how the test cells were held out
     * @param heldOut   the test cells, in time order
     */
    public record Scored(LatencyModel model, double r2, double maeMicros, int trainRows, int testRows,
            Map<String, Double> featureImportance, int frames, double rawR2, ForwardSplit split,
            List<TrainingRow> heldOut) {
    }

    /**
     * The last {@code testSeconds} of the sample are the test cells; the {@code gapSeconds} before them are in neither
     * set; everything before is trained on.
     */
    public record ForwardSplit(long testFromSecond, long testSeconds, long gapSeconds) {
        boolean test(long second) {
            return second >= testFromSecond;
        }

        boolean train(long second) {
            return second < testFromSecond - gapSeconds;
        }
    }

    public static Scored trainAndScore(List<TrainingRow> rows, LatencyTrainer trainer, long seed) {
        if (rows.size() < MIN_CELLS) {
            throw new IllegalArgumentException("need at least 10 rows to train and score a model, got " + rows.size());
        }
        List<LatencyCells.Cell> cells = LatencyCells.of(rows);
        if (cells.size() < MIN_CELLS) {
            throw new IllegalArgumentException("need at least " + MIN_CELLS + " cells of alike frames to train and score"
                    + " a model, got " + cells.size() + " from " + rows.size() + " rows");
        }
        Random random = new Random(seed);
        ForwardSplit split = forwardSplit(cells);
        List<TrainingRow> train = new ArrayList<>();
        List<TrainingRow> test = new ArrayList<>();
        for (LatencyCells.Cell c : cells) {
            if (split.test(c.second())) {
                test.add(c.row());
            } else if (split.train(c.second())) {
                train.add(c.row());
            }
        }
        if (train.size() < MIN_CELLS / 2) {
            throw new IllegalArgumentException("need frames over a longer time: " + train.size() + " cells lie before "
                    + "the held-out last " + split.testSeconds() + " s and its " + split.gapSeconds() + " s gap");
        }
        List<TrainingRow> heldOut = test.stream().sorted(java.util.Comparator.comparingLong(TrainingRow::eventTimeMillis)).toList();
        Collections.shuffle(test, random);
        LatencyModel model = trainer.train(train);
        double[] predicted = predict(model, test);
        double r2 = r2(test, predicted);
        double mae = 0;
        double ssRes = 0;
        double mean = test.stream().mapToLong(TrainingRow::latencyMicros).average().orElse(0);
        double ssTot = 0;
        for (int i = 0; i < test.size(); i++) {
            double y = test.get(i).latencyMicros();
            mae += Math.abs(y - predicted[i]);
            ssRes += (y - predicted[i]) * (y - predicted[i]);
            ssTot += (y - mean) * (y - mean);
        }
        mae /= test.size();
        double rawR2 = ssTot == 0 ? 0 : 1 - ssRes / ssTot;
        List<TrainingRow> forImportance = test.size() > MAX_IMPORTANCE_ROWS ? test.subList(0, MAX_IMPORTANCE_ROWS) : test;
        double base = forImportance == test ? r2 : r2(forImportance, predict(model, forImportance));
        Map<String, Double> importance = new LinkedHashMap<>();
        for (String feature : LatencyFeatures.ALL) {
            List<TrainingRow> donors = new ArrayList<>(forImportance);
            Collections.shuffle(donors, random);
            List<TrainingRow> permuted = new ArrayList<>(forImportance.size());
            for (int i = 0; i < forImportance.size(); i++) {
                permuted.add(LatencyFeatures.swap(forImportance.get(i), donors.get(i), feature));
            }
            importance.put(feature, round(base - r2(forImportance, predict(model, permuted))));
        }
        return new Scored(model, r2, mae, train.size(), test.size(), importance, rows.size(), rawR2, split,
                heldOut);
    }

    /** The last seconds holding at least TEST_SHARE of the cells (never every second), and the gap before them. */
    static ForwardSplit forwardSplit(List<LatencyCells.Cell> cells) {
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        for (LatencyCells.Cell c : cells) {
            perSecond.merge(c.second(), 1, Integer::sum);
        }
        if (perSecond.size() < 2) {
            throw new IllegalArgumentException("need frames of at least 2 seconds to hold some out, got "
                    + perSecond.size());
        }
        long want = Math.max(2, Math.round(cells.size() * TEST_SHARE));
        long held = 0;
        long from = perSecond.lastKey();
        for (Map.Entry<Long, Integer> e : perSecond.descendingMap().entrySet()) {
            if (e.getKey().equals(perSecond.firstKey()) || held >= want) {
                break;
            }
            from = e.getKey();
            held += e.getValue();
        }
        long span = perSecond.lastKey() - perSecond.firstKey();
        long gap = Math.max(1, Math.round(span * GAP_SHARE));
        return new ForwardSplit(from, perSecond.lastKey() - from + 1, gap);
    }

    static double[] predict(LatencyModel model, List<TrainingRow> rows) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = model.predictMicros(rows.get(i));
        }
        return out;
    }

    /** R² of ln(predictions) against ln(the rows' labels); 0 when the labels do not vary. */
    static double r2(List<TrainingRow> rows, double[] predicted) {
        double mean = 0;
        for (TrainingRow r : rows) {
            mean += ln(r.latencyMicros());
        }
        mean /= rows.size();
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < rows.size(); i++) {
            double y = ln(rows.get(i).latencyMicros());
            double p = ln(predicted[i]);
            ssRes += (y - p) * (y - p);
            ssTot += (y - mean) * (y - mean);
        }
        return ssTot == 0 ? 0 : 1 - ssRes / ssTot;
    }

    private static double ln(double micros) {
        return Math.log(Math.max(1, micros));
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
