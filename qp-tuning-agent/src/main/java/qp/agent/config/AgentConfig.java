package qp.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import qp.options.ObjectiveOptions;
import qp.options.TypedOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.json.QpJson;

/**
 * The agent's settings: each option's default, overridden by the config file, overridden by the command line; and
 * the gateways it may touch (the allow-list), from the config file only:
 * <pre>
 * {"gateways": [{"nodeId": "edge-1", "adminUrl": "http://127.0.0.1:9998", "adminTokenFile": ".qp/admin-token"}],
 *  "min-confidence": 0.8, "cooldown": "5min"}
 * </pre>
 * A token comes from {@code adminTokenFile} or from the environment variable named by {@code adminTokenEnv}, never
 * from the file or the command line itself. Every problem is an {@link IllegalArgumentException} with one line.
 */
public final class AgentConfig {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConfig.class);
    private final Map<TypedOption<?>, Object> values;
    private final List<GatewayEntry> gateways;

    private AgentConfig(Map<TypedOption<?>, Object> values, List<GatewayEntry> gateways) {
        this.values = values;
        this.gateways = List.copyOf(gateways);
    }

    /** Defaults only, no gateways (tests build on it with {@link #with}). */
    public static AgentConfig defaults() {
        Map<TypedOption<?>, Object> v = new HashMap<>();
        for (TypedOption<?> o : AgentOptions.ALL) {
            v.put(o, o.defaultValue());
        }
        return new AgentConfig(v, List.of());
    }

    /**
     * Reads the settings: {@code commandLine} holds option names (without {@code --}) to their text; the config file
     * is {@code commandLine.get("config")} when given.
     */
    public static AgentConfig load(Map<String, String> commandLine, Function<String, String> env) {
        Map<TypedOption<?>, Object> v = new HashMap<>(defaults().values);
        List<GatewayEntry> gateways = new ArrayList<>();
        String file = commandLine.get(AgentOptions.CONFIG.name());
        if (file != null) {
            Path path = Path.of(file);
            JsonNode root;
            try {
                root = QpJson.tree(Files.readAllBytes(path));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("--config " + file + ": no such file");
            } catch (IOException e) {
                throw new IllegalArgumentException("--config " + file + ": not JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (!root.isObject()) {
                throw new IllegalArgumentException("--config " + file + ": expected a JSON object with \"gateways\"");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().equals("gateways")) {
                    gateways.addAll(gateways(file, f.getValue(), env));
                    continue;
                }
                if (AgentOptions.RETIRED.contains(f.getKey())) {
                    LOG.warn("--config {}: \"{}\" is retired and ignored: changes are proven by experiments now "
                            + "(README, \"How a change is proven\")", file, f.getKey());
                    continue;
                }
                TypedOption<?> o = AgentOptions.byName(f.getKey());
                if (o == null || o.isCommandLineOnly()) {
                    throw new IllegalArgumentException("--config " + file + ": unknown key \"" + f.getKey()
                            + "\"; keys are \"gateways\" and the option names of bin/qp agent --help");
                }
                JsonNode value = f.getValue();
                v.put(o, o.parse(value.isTextual() ? value.asText() : value.toString()));
            }
        }
        for (Map.Entry<String, String> e : commandLine.entrySet()) {
            TypedOption<?> o = AgentOptions.byName(e.getKey());
            if (AgentOptions.RETIRED.contains(e.getKey())) {
                throw new IllegalArgumentException("--" + e.getKey() + " is retired: changes are proven by experiments "
                        + "now; see --min-effect, --experiment-max-duration and the README");
            }
            if (o == null) {
                throw new IllegalArgumentException("unknown option --" + e.getKey());
            }
            v.put(o, o.parse(e.getValue()));
        }
        AgentConfig c = new AgentConfig(v, gateways);
        c.check();
        return c;
    }

    private static List<GatewayEntry> gateways(String file, JsonNode list, Function<String, String> env) {
        if (!list.isArray()) {
            throw new IllegalArgumentException("--config " + file + ": \"gateways\" must be a list");
        }
        List<GatewayEntry> out = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode g = list.get(i);
            String where = "--config " + file + ": gateways[" + i + "]";
            String nodeId = g.path("nodeId").asText("");
            String url = g.path("adminUrl").asText("");
            if (nodeId.isBlank() || url.isBlank()) {
                throw new IllegalArgumentException(where + " needs \"nodeId\" and \"adminUrl\"");
            }
            if (seen.put(nodeId, true) != null) {
                throw new IllegalArgumentException(where + ": node " + nodeId + " is listed twice");
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": adminUrl " + url + " is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(where + ": adminUrl " + url + " is not an http(s) URL with a host");
            }
            String token;
            if (g.hasNonNull("adminTokenFile")) {
                Path t = Path.of(g.get("adminTokenFile").asText());
                try {
                    token = Files.readString(t, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException(where + ": cannot read adminTokenFile " + t + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            } else if (g.hasNonNull("adminTokenEnv")) {
                String var = g.get("adminTokenEnv").asText();
                token = env.apply(var);
                token = token == null ? "" : token.strip();
                if (token.isEmpty()) {
                    throw new IllegalArgumentException(where + ": environment variable " + var + " (adminTokenEnv) is not set");
                }
            } else {
                throw new IllegalArgumentException(where + " needs \"adminTokenFile\" or \"adminTokenEnv\" "
                        + "(tokens are never written in the config itself)");
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException(where + ": the admin token is empty");
            }
            out.add(new GatewayEntry(nodeId, uri, token));
        }
        return out;
    }

    private void check() {
        ObjectiveOptions.check(get(ObjectiveOptions.SLO_P99), get(ObjectiveOptions.SLO_ERROR_RATE),
                get(ObjectiveOptions.SLO_REFUSAL_RATE), get(ObjectiveOptions.MIN_IMPROVEMENT));
        requireShare(AgentOptions.MIN_CONFIDENCE);
        requireWithin(AgentOptions.EXPLORATION_SHARE, 0.01, 0.1);
        requireWithin(AgentOptions.EXPLORATION_STEP, 1.1, 1.5);
        requireShare(AgentOptions.MIN_IMPROVEMENT);
        requireShare(AgentOptions.MESSAGE_LOG_SAMPLE);
        requireShare(AgentOptions.MIN_EFFECT);
        requireTreatmentShare(AgentOptions.EXPERIMENT_SHARE);
        requireTreatmentShare(AgentOptions.EXPERIMENT_RAMP_SHARE);
        if (get(AgentOptions.EXPERIMENT_RAMP_SHARE) < get(AgentOptions.EXPERIMENT_SHARE)) {
            throw new IllegalArgumentException("--experiment-ramp-share must be at least --experiment-share");
        }
        requireLevel(AgentOptions.CONFIDENCE_LEVEL);
        requireLevel(AgentOptions.EARLY_STOP_LEVEL);
        if (get(AgentOptions.EXPERIMENT_BLOCK).toMillis() < ExperimentSpec.MIN_BLOCK_MILLIS) {
            throw new IllegalArgumentException("--experiment-block must be at least 1s");
        }
        if (get(AgentOptions.MAX_STEP_FACTOR) < 1) {
            throw new IllegalArgumentException("--max-step-factor must be at least 1, got " + get(AgentOptions.MAX_STEP_FACTOR));
        }
        if (get(AgentOptions.CALIBRATION_MIN_OUTCOMES) < 1) {
            throw new IllegalArgumentException("--calibration-min-outcomes must be at least 1, got "
                    + get(AgentOptions.CALIBRATION_MIN_OUTCOMES));
        }
        if (get(AgentOptions.GUARD_MIN_SAMPLES) < 1) {
            throw new IllegalArgumentException("--guard-min-samples must be at least 1");
        }
        if (get(AgentOptions.TICK_INTERVAL).isZero()) {
            throw new IllegalArgumentException("--tick-interval must be above 0");
        }
    }

    private void requireTreatmentShare(TypedOption<Double> o) {
        double d = get(o);
        if (!(d >= ExperimentSpec.MIN_SHARE && d <= ExperimentSpec.MAX_SHARE)) {
            throw new IllegalArgumentException("--" + o.name() + " must be between " + ExperimentSpec.MIN_SHARE
                    + " and " + ExperimentSpec.MAX_SHARE + ", got " + d);
        }
    }

    private void requireLevel(TypedOption<Double> o) {
        double d = get(o);
        if (!(d >= 0.5 && d < 1)) {
            throw new IllegalArgumentException("--" + o.name() + " must be at least 0.5 and below 1, got " + d);
        }
    }

    private void requireWithin(TypedOption<Double> o, double min, double max) {
        double v = get(o);
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("--" + o.name() + " must be between " + bound(min) + " and " + bound(max)
                    + ", got " + v);
        }
    }

    private static String bound(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }

    private void requireShare(TypedOption<Double> o) {
        requireWithin(o, 0, 1);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(TypedOption<T> option) {
        return (T) values.get(option);
    }

    /** A copy with one value replaced (tests, and AgentMain's own derived settings). */
    public <T> AgentConfig with(TypedOption<T> option, T value) {
        Map<TypedOption<?>, Object> v = new HashMap<>(values);
        v.put(option, value);
        return new AgentConfig(v, gateways);
    }

    public AgentConfig withGateways(List<GatewayEntry> list) {
        return new AgentConfig(values, list);
    }

    public List<GatewayEntry> gateways() {
        return gateways;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
