package qp.cluster.options;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line arguments read against a list of {@link CliOption}s: {@code --name value}, {@code --name=value}, or
 * {@code --flag}. What is not declared is kept, in order, in {@link #rest()} (the job's own options for
 * {@code submit}, {@code -Dkey=value} Flink settings for {@code cluster start}).
 */
public final class ParsedArgs {
    private final Map<CliOption<?>, Object> values;
    private final List<String> rest;

    private ParsedArgs(Map<CliOption<?>, Object> values, List<String> rest) {
        this.values = values;
        this.rest = List.copyOf(rest);
    }

    public static ParsedArgs parse(List<CliOption<?>> declared, String... args) {
        Map<String, CliOption<?>> byName = new HashMap<>();
        declared.forEach(o -> byName.put("--" + o.name(), o));
        Map<CliOption<?>, Object> values = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            CliOption<?> option = byName.get(name);
            if (option == null) {
                rest.add(arg);
                continue;
            }
            if (option.isFlag()) {
                if (eq > 0) {
                    throw new IllegalArgumentException(name + " is a flag: give it alone, without a value");
                }
                values.put(option, true);
            } else if (eq > 0) {
                values.put(option, option.parse(arg.substring(eq + 1)));
            } else if (i + 1 < args.length) {
                values.put(option, option.parse(args[++i]));
            } else {
                throw new IllegalArgumentException(name + " needs a value (" + option.typeName() + ")");
            }
        }
        return new ParsedArgs(values, rest);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(CliOption<T> option) {
        return values.containsKey(option) ? (T) values.get(option) : option.defaultValue();
    }

    public boolean isSet(CliOption<?> option) {
        return values.containsKey(option);
    }

    /** Arguments that are not declared options, in their order. */
    public List<String> rest() {
        return rest;
    }
}
