package qp.options;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line arguments read against a list of declared {@link TypedOption}s: {@code --name value},
 * {@code --name=value}, or a flag alone ({@code --local}; {@code --local false} also reads). What is not declared is
 * kept, in order, in {@link #rest()}: a command that takes no other arguments calls {@link #requireNoRest}.
 */
public final class OptionArgs {
    private final Map<String, Object> values;
    private final List<String> rest;

    private OptionArgs(Map<String, Object> values, List<String> rest) {
        this.values = values;
        this.rest = List.copyOf(rest);
    }

    public static OptionArgs parse(List<? extends TypedOption<?>> declared, String... args) {
        Map<String, TypedOption<?>> byName = new HashMap<>();
        declared.forEach(o -> byName.put("--" + o.name(), o));
        Map<String, Object> values = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            TypedOption<?> option = byName.get(name);
            if (option == null) {
                rest.add(arg);
                continue;
            }
            boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            String text;
            if (eq > 0) {
                text = arg.substring(eq + 1);
            } else if (option.isFlag()) {
                text = nextIsValue && isBoolean(args[i + 1]) ? args[++i] : "true";
            } else if (nextIsValue) {
                text = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value (" + option.typeName() + ")");
            }
            values.put(option.name(), option.parse(text));
        }
        return new OptionArgs(values, rest);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(TypedOption<T> option) {
        return values.containsKey(option.name()) ? (T) values.get(option.name()) : option.defaultValue();
    }

    public boolean isSet(TypedOption<?> option) {
        return values.containsKey(option.name());
    }

    /** The values given, by option name. */
    public Map<String, Object> given() {
        return Map.copyOf(values);
    }

    /** Arguments that are not declared options, in their order. */
    public List<String> rest() {
        return rest;
    }

    /** For commands without positional arguments: the first undeclared argument is an error that says what it is. */
    public OptionArgs requireNoRest(String help) {
        return requireNoRest(help, Map.of());
    }

    /**
     * {@link #requireNoRest(String)}, and an option of an earlier build ({@code retired}: its name without dashes to
     * what replaced it) is an error that names its replacement.
     */
    public OptionArgs requireNoRest(String help, Map<String, String> retired) {
        if (!rest.isEmpty()) {
            String arg = rest.get(0);
            String name = arg.split("=", 2)[0];
            if (arg.startsWith("--") && retired.containsKey(name.substring(2))) {
                throw new IllegalArgumentException(name + " is retired: use " + retired.get(name.substring(2)));
            }
            throw new IllegalArgumentException(arg.startsWith("--")
                    ? "unknown option " + name + "; see " + help
                    : "unexpected argument '" + arg + "': options look like --name value; see " + help);
        }
        return this;
    }

    private static boolean isBoolean(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }
}
