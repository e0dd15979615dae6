package qp.bench.limit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The max_connections the sweep finds best for the SLO: where the measured p99 crosses it, linearly interpolated
 * between the largest swept value whose p99 is within the SLO and the next swept value above it. When no swept value
 * above it exceeds the SLO, nothing crosses and the largest value within it is the best; when none is within it,
 * there is no best.
 *
 * @param value     the best max_connections, or NaN when no swept value met the SLO
 * @param crossed   whether the p99 crossed the SLO inside the sweep (the value is interpolated)
 * @param sentence  how the value was found, for the report
 */
public record SweptBest(double value, boolean crossed, String sentence) {
    /** One swept point: the limit and the p99 measured at it (NaN when there was no reply to measure). */
    public record Point(long maxConnections, double p99Millis) {
    }

    public boolean found() {
        return !Double.isNaN(value);
    }

    public static SweptBest of(List<Point> sweep, double sloMillis) {
        List<Point> points = new ArrayList<>();
        for (Point p : sweep) {
            if (!Double.isNaN(p.p99Millis())) {
                points.add(p);
            }
        }
        points.sort(Comparator.comparingLong(Point::maxConnections));
        int within = -1;
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).p99Millis() <= sloMillis) {
                within = i;
            }
        }
        if (within < 0) {
            return new SweptBest(Double.NaN, false, "no swept value kept p99 within the SLO of "
                    + fmt(sloMillis) + " ms: no best value (sweep lower limits)");
        }
        Point lo = points.get(within);
        String nonMonotone = nonMonotone(points, within, sloMillis);
        if (within == points.size() - 1) {
            return new SweptBest(lo.maxConnections(), false, "p99 never crossed the SLO of " + fmt(sloMillis)
                    + " ms in the sweep: the largest value within it, " + lo.maxConnections() + ", is taken"
                    + nonMonotone);
        }
        Point hi = points.get(within + 1);
        double share = (sloMillis - lo.p99Millis()) / (hi.p99Millis() - lo.p99Millis());
        double value = lo.maxConnections() + share * (hi.maxConnections() - lo.maxConnections());
        return new SweptBest(value, true, String.format(Locale.ROOT,
                "p99 crosses the SLO of %s ms between %d (p99 %s ms) and %d (p99 %s ms): best %.1f by linear interpolation%s",
                fmt(sloMillis), lo.maxConnections(), fmt(lo.p99Millis()), hi.maxConnections(), fmt(hi.p99Millis()), value,
                nonMonotone));
    }

    /** A note when a smaller swept value than the one taken was over the SLO: the sweep was noisy there. */
    private static String nonMonotone(List<Point> points, int within, double sloMillis) {
        List<Long> over = new ArrayList<>();
        for (int i = 0; i < within; i++) {
            if (points.get(i).p99Millis() > sloMillis) {
                over.add(points.get(i).maxConnections());
            }
        }
        return over.isEmpty() ? "" : "; note: p99 was over the SLO at the smaller value(s) " + over
                + " too (noise, or a sweep too short to settle)";
    }

    private static String fmt(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }
}
