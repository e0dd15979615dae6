package qp.job.config;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import qp.options.OptionArgs;
import qp.options.TypedOption;

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
     * are errors that say which argument and what was expected; a retired option's error names its replacement.
     */
    public static JobConfig parse(String... args) {
        OptionArgs parsed = OptionArgs.parse(JobOptions.ALL, args).requireNoRest("docs/job-options.md or --help",
                JobOptions.RETIRED);
        Map<String, Serializable> values = new HashMap<>();
        parsed.given().forEach((name, value) -> values.put(name, (Serializable) value));
        return new JobConfig(Map.copyOf(values));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(TypedOption<T> option) {
        Serializable v = values.get(option.name());
        return v == null ? option.defaultValue() : (T) v;
    }

    /** A copy with one value replaced (tests and the benchmark adjust a few options this way). */
    public <T extends Serializable> JobConfig with(TypedOption<T> option, T value) {
        Map<String, Serializable> copy = new HashMap<>(values);
        copy.put(option.name(), value);
        return new JobConfig(Map.copyOf(copy));
    }

    /** Every option with its value in force, for the log line at start. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (TypedOption<?> o : JobOptions.ALL) {
            out.put(o.name(), o.format(get(o)));
        }
        return out;
    }
}
