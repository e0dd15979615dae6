package qp.agent.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The isotonic regression of kept (0 or 1) on confidence: the non-decreasing step function closest to the outcomes in
 * squared error, by pool-adjacent-violators. Between two blocks the fit is read by linear interpolation, outside them
 * the nearest block's value.
 */
public final class IsotonicFit {
    /** A run of outcomes pooled to one value, over confidences {@code low..high}. */
    public record Block(double low, double high, double value, int count) {
    }

    private final List<Block> blocks;

    private IsotonicFit(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static IsotonicFit of(List<Outcome> outcomes) {
        List<Outcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparingDouble(Outcome::confidence));
        List<double[]> stack = new ArrayList<>(); // low, high, sum of kept, count
        for (Outcome o : sorted) {
            double k = o.kept() ? 1 : 0;
            double[] last = stack.isEmpty() ? null : stack.get(stack.size() - 1);
            if (last != null && last[1] == o.confidence()) {
                last[2] += k; // equal confidences are one point
                last[3]++;
            } else {
                stack.add(new double[] {o.confidence(), o.confidence(), k, 1});
            }
            // pool while the newest block's mean is below the one before it
            while (stack.size() > 1) {
                double[] b = stack.get(stack.size() - 1);
                double[] a = stack.get(stack.size() - 2);
                if (a[2] / a[3] <= b[2] / b[3]) {
                    break;
                }
                a[1] = b[1];
                a[2] += b[2];
                a[3] += b[3];
                stack.remove(stack.size() - 1);
            }
        }
        return new IsotonicFit(stack.stream().map(b -> new Block(b[0], b[1], b[2] / b[3], (int) b[3])).toList());
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** The calibrated probability of being kept at this raw confidence; NaN without outcomes. */
    public double at(double confidence) {
        if (blocks.isEmpty()) {
            return Double.NaN;
        }
        Block first = blocks.get(0);
        if (confidence <= first.high()) {
            return first.value();
        }
        for (int i = 1; i < blocks.size(); i++) {
            Block before = blocks.get(i - 1);
            Block b = blocks.get(i);
            if (confidence < b.low()) {
                double t = (confidence - before.high()) / (b.low() - before.high());
                return before.value() + t * (b.value() - before.value());
            }
            if (confidence <= b.high()) {
                return b.value();
            }
        }
        return blocks.get(blocks.size() - 1).value();
    }
}
