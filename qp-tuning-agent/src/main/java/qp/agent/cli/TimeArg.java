package qp.agent.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time given on the command line: a duration back from now ({@code 15m}, {@code 1h}, {@code 24h},
 * {@code 7d}, {@code 30s}, {@code 500ms}), an ISO instant ({@code 2026-11-30T10:00:00Z}) or epoch millis.
 */
public final class TimeArg {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private TimeArg() {
    }

    /** Epoch millis for {@code text}, relative to {@code nowMillis} when it is a duration. */
    public static long resolve(String text, long nowMillis) {
        Duration ago = durationOrNull(text);
        if (ago != null) {
            return nowMillis - ago.toMillis();
        }
        if (text.matches("\\d{10,}")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new CliException("'" + text + "' is not a time: give a duration back from now (15m, 1h, 24h, 7d) "
                    + "or an instant (2026-11-30T10:00:00Z)", QpCli.EXIT_USAGE);
        }
    }

    /** A duration such as {@code 15m}, or null when the text is not one. */
    public static Duration durationOrNull(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A duration option ({@code --cooldown 5m}). */
    public static Duration duration(String option, String text) {
        Duration d = durationOrNull(text);
        if (d == null) {
            throw new CliException(option + ": '" + text + "' is not a duration (e.g. 30s, 5m, 1h)", QpCli.EXIT_USAGE);
        }
        return d;
    }
}
