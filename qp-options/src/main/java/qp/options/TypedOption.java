package qp.options;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One option of a command, declared once: its name ({@code --window-size 10s}, and the same key in a config file), its
 * type, its default and a one-line description. The parser ({@link OptionArgs}), {@code --help} and the generated
 * tables ({@link qp.options.docs.OptionsTable}) read the declarations. A {@code null} default means "none".
 * Serializable, so that a job's options travel with its graph (a {@link Path} default is for commands that never do).
 */
public final class TypedOption<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A parser that is also Serializable. */
    public interface Parser<T> extends Function<String, T>, Serializable {
    }

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final String description;
    private final Parser<T> parser;
    private final boolean flag;
    private final boolean commandLineOnly;

    private TypedOption(String name, String typeName, T defaultValue, String description, Parser<T> parser,
            boolean flag, boolean commandLineOnly) {
        this.name = Objects.requireNonNull(name);
        this.typeName = typeName;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.flag = flag;
        this.commandLineOnly = commandLineOnly;
    }

    public static TypedOption<String> string(String name, String defaultValue, String description) {
        return new TypedOption<>(name, "string", defaultValue, description, s -> s, false, false);
    }

    public static TypedOption<Integer> integer(String name, int defaultValue, String description) {
        return new TypedOption<>(name, "int", defaultValue, description, Integer::valueOf, false, false);
    }

    public static TypedOption<Integer> port(String name, int defaultValue, String description) {
        return new TypedOption<>(name, "port", defaultValue, description, TypedOption::parsePort, false, false);
    }

    public static TypedOption<Double> decimal(String name, double defaultValue, String description) {
        return new TypedOption<>(name, "double", defaultValue, description, Double::valueOf, false, false);
    }

    public static TypedOption<Duration> duration(String name, Duration defaultValue, String description) {
        return new TypedOption<>(name, "duration", defaultValue, description, Durations::parse, false, false);
    }

    public static TypedOption<Path> path(String name, Path defaultValue, String description) {
        return new TypedOption<>(name, "path", defaultValue, description, Path::of, false, false);
    }

    /** A switch: {@code --local} alone means true; {@code --local false}, {@code --local=false} are accepted too. */
    public static TypedOption<Boolean> flag(String name, String description) {
        return new TypedOption<>(name, "flag", false, description, TypedOption::parseBoolean, true, false);
    }

    public static <E extends Enum<E>> TypedOption<E> choice(String name, E defaultValue, String description) {
        Class<E> type = defaultValue.getDeclaringClass();
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : "|").append(label(e));
        }
        return new TypedOption<>(name, names.toString(), defaultValue, description, s -> parseEnum(type, s), false,
                false);
    }

    /** The same option, accepted only on the command line (e.g. {@code --config} itself). */
    public TypedOption<T> commandLineOnly() {
        return new TypedOption<>(name, typeName, defaultValue, description, parser, flag, true);
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

    /** Parses a value from the command line or a config file; the error names the option, the value, the type. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + ": cannot read '" + text + "' as " + typeName
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    /** How a value reads in the docs, in {@code --help} and in messages. */
    public String format(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
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

    /** An enum constant as an option value: {@code EXACTLY_ONCE} reads {@code exactly-once}. */
    public static String label(Enum<?> e) {
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

    static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Integer parsePort(String text) {
        int p = Integer.parseInt(text);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("a port is 0..65535");
        }
        return p;
    }
}
