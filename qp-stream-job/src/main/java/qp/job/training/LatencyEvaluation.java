package qp.job.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a latency model on a shuffled 80% of the rows and scores it on the other 20%: R², MAE and the permutation
 * importance of each feature (how much R² drops when that feature's values are shuffled among the test rows).
 * Permutation, not split counts: split counts rank noise features high (DESIGN.md).
 */
public final class LatencyEvaluation {
    static final double TEST_SHARE = 0.2;
    static final int MAX_IMPORTANCE_ROWS = 1000;

    private LatencyEvaluation() {
    }

    /** A trained model with its held-out scores. */
    public record Scored(LatencyModel model, double r2, double maeMicros, int trainRows, int testRows,
            Map<String, Double> featureImportance) {
    }

    public static Scored trainAndScore(List<TrainingRow> rows, LatencyTrainer trainer, long seed) {
        if (rows.size() < 10) {
            throw new IllegalArgumentException("need at least 10 rows to train and score a model, got " + rows.size());
        }
        List<TrainingRow> shuffled = new ArrayList<>(rows);
        Random random = new Random(seed);
        Collections.shuffle(shuffled, random);
        int testRows = Math.max(2, (int) Math.round(rows.size() * TEST_SHARE));
        List<TrainingRow> test = shuffled.subList(0, testRows);
        List<TrainingRow> train = shuffled.subList(testRows, shuffled.size());
        LatencyModel model = trainer.train(train);
        double[] predicted = predict(model, test);
        double r2 = r2(test, predicted);
        double mae = 0;
        for (int i = 0; i < test.size(); i++) {
            mae += Math.abs(test.get(i).latencyMicros() - predicted[i]);
        }
        mae /= test.size();
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
        return new Scored(model, r2, mae, train.size(), test.size(), importance);
    }

    static double[] predict(LatencyModel model, List<TrainingRow> rows) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = model.predictMicros(rows.get(i));
        }
        return out;
    }

    /** R² of predictions against the rows' labels; 0 when the labels do not vary. */
    static double r2(List<TrainingRow> rows, double[] predicted) {
        double mean = 0;
        for (TrainingRow r : rows) {
            mean += r.latencyMicros();
        }
        mean /= rows.size();
        double ssRes = 0;
        double ssTot = 0;
        for (int i = 0; i < rows.size(); i++) {
            double y = rows.get(i).latencyMicros();
            ssRes += (y - predicted[i]) * (y - predicted[i]);
            ssTot += (y - mean) * (y - mean);
        }
        return ssTot == 0 ? 0 : 1 - ssRes / ssTot;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
