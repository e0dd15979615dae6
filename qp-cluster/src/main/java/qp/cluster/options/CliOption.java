package qp.cluster.options;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One option of a command, declared once: its name ({@code --web-ui-port 8081}), type, default and a one-line
 * description. The parser ({@link ParsedArgs}), {@code --help} and the README tables ({@link OptionsDoc}) read the
 * declarations. A {@code null} default means "none": {@link ParsedArgs#get} then returns null.
 */
public final class CliOption<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h)");

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final boolean flag;

    private CliOption(String name, String typeName, T defaultValue, String description, Function<String, T> parser,
            boolean flag) {
        this.name = Objects.requireNonNull(name);
        this.typeName = typeName;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.flag = flag;
    }

    public static CliOption<String> string(String name, String defaultValue, String description) {
        return new CliOption<>(name, "string", defaultValue, description, s -> s, false);
    }

    public static CliOption<Integer> port(String name, int defaultValue, String description) {
        return new CliOption<>(name, "port", defaultValue, description, CliOption::parsePort, false);
    }

    public static CliOption<Integer> integer(String name, int defaultValue, String description) {
        return new CliOption<>(name, "int", defaultValue, description, Integer::valueOf, false);
    }

    public static CliOption<Path> path(String name, Path defaultValue, String description) {
        return new CliOption<>(name, "path", defaultValue, description, Path::of, false);
    }

    public static CliOption<Duration> duration(String name, Duration defaultValue, String description) {
        return new CliOption<>(name, "duration", defaultValue, description, CliOption::parseDuration, false);
    }

    /** A switch: present means true. */
    public static CliOption<Boolean> flag(String name, String description) {
        return new CliOption<>(name, "flag", false, description, s -> true, true);
    }

    public String name() {
        return name;
    }

    public String typeName() {
        return typeName;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isFlag() {
        return flag;
    }

    /** The error names the option, the value and what is expected. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + ": cannot read '" + text + "' as " + typeName
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    /** How a value reads in docs and messages. */
    public String format(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms"
                    : d.toSeconds() % 60 != 0 || d.isZero() ? d.toSeconds() + "s" : d.toMinutes() + "min";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "--" + name;
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a number and a unit: 500ms, 90s, 5min, 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min", "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    static Integer parsePort(String text) {
        int p = Integer.parseInt(text);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("a port is 0..65535");
        }
        return p;
    }
}
