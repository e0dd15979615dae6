package qp.options;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a duration is written to and read from an option: a whole number and a unit ({@code 500ms}, {@code 10s},
 * {@code 10 s}, {@code 5min}, {@code 1h}, {@code 2d}; long forms like {@code 30 seconds} too). A bare number is an
 * error: the job once read it as milliseconds and the agent as seconds.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]+)");

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a number and a unit: 500ms, 10s, 5min, 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms", "milli", "millis", "millisecond", "milliseconds" -> Duration.ofMillis(n);
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(n);
            case "h", "hour", "hours" -> Duration.ofHours(n);
            case "d", "day", "days" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "': ms, s, min, h or d");
        };
    }

    /** The largest unit that divides the duration: {@code 500 ms}, {@code 10 s}, {@code 5 min}, {@code 1 h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + " d";
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms + " ms";
    }
}
