package qp.bench.limit;

import java.util.List;
import java.util.Locale;

/**
 * Whether max_connections reached the band around the swept best and stayed in it: the first sample inside
 * [best × (1 - band), best × (1 + band)] (bounds included), and the first sample after it outside the band, if any.
 *
 * @param enteredAtSeconds seconds since the start at the first sample inside the band, -1 when none was
 * @param leftAtSeconds    seconds since the start at the first sample outside it after that, -1 when none was
 */
public record BandVerdict(double low, double high, double enteredAtSeconds, double leftAtSeconds) {
    /** One reading of max_connections, {@code seconds} after the tuning phase started. */
    public record Sample(double seconds, long maxConnections) {
    }

    public static BandVerdict of(List<Sample> timeline, double best, double band) {
        double low = best * (1 - band);
        double high = best * (1 + band);
        double entered = -1;
        double left = -1;
        for (Sample s : timeline) {
            boolean inside = s.maxConnections() >= low && s.maxConnections() <= high;
            if (entered < 0 && inside) {
                entered = s.seconds();
            } else if (entered >= 0 && !inside) {
                left = s.seconds();
                break;
            }
        }
        return new BandVerdict(low, high, entered, left);
    }

    public boolean entered() {
        return enteredAtSeconds >= 0;
    }

    /** Entered, and inside at every sample from then to the end. */
    public boolean stayed() {
        return entered() && leftAtSeconds < 0;
    }

    public String sentence() {
        String band = String.format(Locale.ROOT, "band [%.1f, %.1f]", low, high);
        if (!entered()) {
            return "max_connections never entered the " + band;
        }
        String in = String.format(Locale.ROOT, "max_connections entered the %s at %s", band, clock(enteredAtSeconds));
        return stayed() ? in + " and stayed in it to the end"
                : in + " and left it at " + clock(leftAtSeconds);
    }

    /** {@code m:ss} since the start. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
