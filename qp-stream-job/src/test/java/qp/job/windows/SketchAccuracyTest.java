package qp.job.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import qp.job.analytics.AnalyticsSettings;
import qp.job.analytics.TestFrames;

/**
 * The window percentiles against the exact values over many generated windows of varied, partly heavy-tailed
 * distributions. Each window is fed the way Flink feeds it: split over partial accumulators that are merged, some
 * passing through the state serializer. Exact quantile = sorted[floor(q·(n−1))], DDSketch's rank definition.
 */
class SketchAccuracyTest {
    private static final double ALPHA = AnalyticsSettings.Windows.defaults().sketchRelativeAccuracy();

    @Test
    void p99IsWithinOnePercentOfTheExactValueInEveryWindow() throws Exception {
        Random rnd = new Random(20261126L);
        String[] names = {"uniform", "normal", "exponential", "lognormal-heavy", "pareto-1.2", "bimodal",
                "rare-huge-outliers", "tiny-integers"};
        double worstP99 = 0;
        double worstP50 = 0;
        double worstP95 = 0;
        int windows = 0;
        for (int round = 0; round < 60; round++) {
            for (int d = 0; d < names.length; d++) {
                int n = 50 + rnd.nextInt(round % 3 == 0 ? 30_000 : 3_000);
                DoubleSupplier gen = generator(d, rnd);
                long[] values = new long[n];
                StatsAccumulator[] parts = {acc(), acc(), acc()};
                for (int i = 0; i < n; i++) {
                    values[i] = Math.max(1, Math.round(gen.getAsDouble()));
                    parts[rnd.nextInt(parts.length)].add(TestFrames.frame("n", "DATA", i, values[i]));
                }
                StatsAccumulator window = roundTrip(parts[0]).merge(parts[1]).merge(roundTrip(parts[2]));
                Arrays.sort(values);
                assertEquals(n, window.latencySamples());
                assertEquals(values[n - 1], window.latencyMaxMicros);
                worstP50 = Math.max(worstP50, check(names[d], window, values, 0.50));
                worstP95 = Math.max(worstP95, check(names[d], window, values, 0.95));
                worstP99 = Math.max(worstP99, check(names[d], window, values, 0.99));
                windows++;
            }
        }
        System.out.printf("%d windows: worst relative error p50 %.4f%%, p95 %.4f%%, p99 %.4f%%%n", windows,
                100 * worstP50, 100 * worstP95, 100 * worstP99);
        assertTrue(worstP99 <= 0.01, "p99 relative error " + worstP99);
    }

    private static double check(String distribution, StatsAccumulator window, long[] sorted, double q) {
        double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
        double err = Math.abs(window.latencyQuantile(q) - exact) / exact;
        assertTrue(err <= 0.01, () -> String.format("%s n=%d q=%.2f: sketch %.2f vs exact %.0f (%.3f%%)",
                distribution, sorted.length, q, window.latencyQuantile(q), exact, 100 * err));
        return err;
    }

    private static StatsAccumulator acc() {
        return new StatsAccumulator(ALPHA, false);
    }

    private static StatsAccumulator roundTrip(StatsAccumulator a) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        StatsAccumulatorSerializer.INSTANCE.serialize(a, out);
        return StatsAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static DoubleSupplier generator(int d, Random r) {
        return switch (d) {
            case 0 -> () -> 100 + r.nextDouble() * 9_900;
            case 1 -> () -> 5_000 + 500 * r.nextGaussian();
            case 2 -> () -> -1_000 * Math.log(1 - r.nextDouble());
            case 3 -> () -> Math.exp(7 + 1.5 * r.nextGaussian());
            case 4 -> () -> 100 / Math.pow(1 - r.nextDouble(), 1 / 1.2);
            case 5 -> () -> r.nextDouble() < 0.9 ? 200 + 20 * r.nextGaussian() : 50_000 + 5_000 * r.nextGaussian();
            case 6 -> () -> r.nextDouble() < 0.995 ? 1_000 : 1_000_000;
            default -> () -> 1 + r.nextInt(5);
        };
    }
}
