package qp.job.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.apache.flink.util.TimeUtils;

/**
 * One option of the job, declared once: its name as a job argument ({@code --window-size 10s}), its type, its
 * default and a one-line description. {@link JobOptions} holds every declaration; {@link OptionsDoc} prints them.
 */
public final class JobOption<T extends Serializable> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final String description;
    private final SerializableParser<T> parser;
    private final boolean flag;

    private JobOption(String name, String typeName, T defaultValue, String description, SerializableParser<T> parser,
            boolean flag) {
        this.name = Objects.requireNonNull(name);
        this.typeName = typeName;
        this.defaultValue = Objects.requireNonNull(defaultValue, name);
        this.description = description;
        this.parser = parser;
        this.flag = flag;
    }

    /** Function that is also Serializable, so that a config can travel with the job graph. */
    public interface SerializableParser<T> extends Function<String, T>, Serializable {
    }

    public static JobOption<String> string(String name, String defaultValue, String description) {
        return new JobOption<>(name, "string", defaultValue, description, s -> s, false);
    }

    public static JobOption<Integer> integer(String name, int defaultValue, String description) {
        return new JobOption<>(name, "int", defaultValue, description, Integer::valueOf, false);
    }

    public static JobOption<Double> decimal(String name, double defaultValue, String description) {
        return new JobOption<>(name, "double", defaultValue, description, Double::valueOf, false);
    }

    public static JobOption<Duration> duration(String name, Duration defaultValue, String description) {
        return new JobOption<>(name, "duration", defaultValue, description, TimeUtils::parseDuration, false);
    }

    /** A switch: {@code --local} alone means true; {@code --local false} is also accepted. */
    public static JobOption<Boolean> flag(String name, String description) {
        return new JobOption<>(name, "flag", false, description, JobOption::parseBoolean, true);
    }

    public static <E extends Enum<E>> JobOption<E> choice(String name, E defaultValue, String description) {
        Class<E> type = defaultValue.getDeclaringClass();
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : "|").append(label(e));
        }
        return new JobOption<>(name, names.toString(), defaultValue, description, s -> parseEnum(type, s), false);
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

    /** Parses a value given on the command line; the error names the option, the value and what is expected. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + ": cannot read '" + text + "' as " + typeName
                    + " (" + e.getMessage() + ")", e);
        }
    }

    /** How the default reads in the docs and in {@code --help}. */
    public String format(Object value) {
        if (value instanceof Duration d) {
            return TimeUtils.formatWithHighestUnit(d);
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
