package qp.job.config;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The values of {@link JobOptions} for one run: the defaults, overridden by job arguments. Immutable. */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Serializable> values;

    private JobConfig(Map<String, Serializable> values) {
        this.values = values;
    }

    public static JobConfig defaults() {
        return new JobConfig(Map.of());
    }

    /**
     * Reads {@code --name value}, {@code --name=value} and bare flags ({@code --local}). Unknown names and bad values
     * are errors that say which argument and what was expected.
     */
    public static JobConfig parse(String... args) {
        Map<String, Serializable> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': options look like --window-size 10s");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            JobOption<?> option = find(name);
            if (value == null) {
                boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                if (option.isFlag() && !(nextIsValue && isBoolean(args[i + 1]))) {
                    value = "true";
                } else if (nextIsValue) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value (" + option.typeName() + ")");
                }
            }
            values.put(name, option.parse(value));
        }
        return new JobConfig(Map.copyOf(values));
    }

    @SuppressWarnings("unchecked")
    public <T extends Serializable> T get(JobOption<T> option) {
        Serializable v = values.get(option.name());
        return v == null ? option.defaultValue() : (T) v;
    }

    /** A copy with one value replaced (tests and the benchmark adjust a few options this way). */
    public <T extends Serializable> JobConfig with(JobOption<T> option, T value) {
        Map<String, Serializable> copy = new HashMap<>(values);
        copy.put(option.name(), value);
        return new JobConfig(Map.copyOf(copy));
    }

    /** Every option with its value in force, for the log line at start. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JobOption<?> o : JobOptions.ALL) {
            out.put(o.name(), o.format(get(o)));
        }
        return out;
    }

    private static JobOption<?> find(String name) {
        List<JobOption<?>> all = JobOptions.ALL;
        for (JobOption<?> o : all) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown option --" + name + "; see docs/job-options.md or --help");
    }

    private static boolean isBoolean(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }
}
