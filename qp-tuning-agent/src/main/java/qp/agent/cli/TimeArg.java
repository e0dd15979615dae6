package qp.agent.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import qp.options.Durations;

/**
 * A point in time given on the command line: a duration back from now ({@code 15m}, {@code 1h}, {@code 24h},
 * {@code 7d}, {@code 30s}, {@code 500ms}), an ISO instant ({@code 2026-11-30T10:00:00Z}) or epoch millis.
 */
public final class TimeArg {
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

    /** A duration such as {@code 15m} (the options' one grammar, {@link Durations}), or null when the text is not one. */
    public static Duration durationOrNull(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
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
