package qp.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One option of the agent, declared once: its name (a command-line option {@code --min-confidence 0.8} and the same
 * key in the config file {@code "min-confidence": 0.8}), its type, its default and a one-line description.
 * {@link AgentOptions} holds every declaration; {@link OptionsDoc} prints them. The same pattern as the job's
 * {@code qp.job.config.JobOption}, without Flink (the agent must not import it).
 */
public final class AgentOption<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h)?");

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final boolean flag;
    private final boolean commandLineOnly;

    private AgentOption(String name, String typeName, T defaultValue, String description, Function<String, T> parser,
            boolean flag, boolean commandLineOnly) {
        this.name = Objects.requireNonNull(name);
        this.typeName = typeName;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.flag = flag;
        this.commandLineOnly = commandLineOnly;
    }

    public static AgentOption<String> string(String name, String defaultValue, String description) {
        return new AgentOption<>(name, "string", defaultValue, description, s -> s, false, false);
    }

    public static AgentOption<Integer> integer(String name, int defaultValue, String description) {
        return new AgentOption<>(name, "int", defaultValue, description, Integer::valueOf, false, false);
    }

    public static AgentOption<Double> decimal(String name, double defaultValue, String description) {
        return new AgentOption<>(name, "double", defaultValue, description, Double::valueOf, false, false);
    }

    public static AgentOption<Duration> duration(String name, Duration defaultValue, String description) {
        return new AgentOption<>(name, "duration", defaultValue, description, AgentOption::parseDuration, false, false);
    }

    /** A switch: {@code --dry-run} alone means true; in the config file {@code "dry-run": true}. */
    public static AgentOption<Boolean> flag(String name, String description) {
        return new AgentOption<>(name, "flag", false, description, AgentOption::parseBoolean, true, false);
    }

    public static <E extends Enum<E>> AgentOption<E> choice(String name, E defaultValue, String description) {
        Class<E> type = defaultValue.getDeclaringClass();
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : "|").append(label(e));
        }
        return new AgentOption<>(name, names.toString(), defaultValue, description, s -> parseEnum(type, s), false,
                false);
    }

    /** The same option, accepted only on the command line (e.g. {@code --config} itself). */
    public AgentOption<T> commandLineOnly() {
        return new AgentOption<>(name, typeName, defaultValue, description, parser, flag, true);
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

    public boolean isCommandLineOnly() {
        return commandLineOnly;
    }

    /** Parses a value from the command line or the config file; the error names the option, the value, the type. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + ": cannot read '" + text + "' as " + typeName
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    /** How a value reads in the docs and in {@code --help}. */
    public String format(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Duration d) {
            return formatDuration(d);
        }
        if (value instanceof Enum<?> e) {
            return label(e);
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "--" + name;
    }

    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code 500ms}, {@code 10s}, {@code 5min} (or {@code 5m}), {@code 1h}; a bare number is seconds. */
    public static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like 500ms, 10s, 5min, 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "sec" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
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

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String s) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equalsIgnoreCase(s) || e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not one of the choices");
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }
}
