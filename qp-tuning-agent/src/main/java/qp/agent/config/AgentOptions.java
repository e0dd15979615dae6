package qp.agent.config;

import static qp.options.TypedOption.choice;
import static qp.options.TypedOption.decimal;
import static qp.options.TypedOption.duration;
import static qp.options.TypedOption.flag;
import static qp.options.TypedOption.integer;
import static qp.options.TypedOption.string;

import java.time.Duration;
import java.util.List;
import qp.options.ObjectiveOptions;
import qp.options.TypedOption;

/**
 * Every option of the agent, declared once. The command line ({@code qp.agent.AgentMain}), the config file
 * ({@link AgentConfig}) and the docs table ({@link OptionsDoc}) read this list.
 */
public final class AgentOptions {
    private AgentOptions() {
    }

    /** What the agent does with a recommendation that passes the gates. */
    public enum Mode { APPLY, ADVISE }

    /** Whether the agent explores neighbouring values when a node is idle. */
    public enum Exploration { ON, OFF }

    public static final TypedOption<String> CONFIG = string("config", null,
            "the agent's JSON config: the gateways it may touch, and any option below by name").commandLineOnly();
    public static final TypedOption<Mode> MODE = choice("mode", Mode.APPLY,
            "apply: change the gateways; advise: record what would be applied (status advised), change nothing");
    public static final TypedOption<Boolean> DRY_RUN = flag("dry-run",
            "go through the gates and record dry_run instead of applying; no PUT leaves the agent");
    public static final TypedOption<String> DB = string("db", ".qp/agent.db",
            "the SQLite store (created and migrated at start)");
    public static final TypedOption<String> KAFKA = string("kafka", "localhost:9092", "Kafka bootstrap servers");
    public static final TypedOption<String> GROUP_ID = string("group-id", "qp-tuning-agent",
            "Kafka consumer group of the agent (offsets committed after the store has the records)");

    public static final TypedOption<Double> MIN_CONFIDENCE = decimal("min-confidence", 0.8,
            "gate confidence: a recommendation below this confidence is rejected");
    /** Declared with the objective, for the job too. */
    public static final TypedOption<Double> MIN_IMPROVEMENT = ObjectiveOptions.MIN_IMPROVEMENT;
    public static final TypedOption<Integer> CALIBRATION_MIN_OUTCOMES = integer("calibration-min-outcomes", 30,
            "gate confidence: once a source (rules, model) has this many changes decided by an experiment, its "
            + "confidence is calibrated on them (isotonic fit of kept on confidence) before the comparison; below, the raw one");
    public static final TypedOption<Duration> COOLDOWN = duration("cooldown", Duration.ofMinutes(5),
            "gate cooldown: no change to the same node and parameter within this time of the last one");
    public static final TypedOption<Double> MAX_STEP_FACTOR = decimal("max-step-factor", 4.0,
            "gate max_step: one change multiplies or divides a value by at most this; turning a parameter on or off is one step");
    public static final TypedOption<Double> EXPERIMENT_SHARE = decimal("experiment-share", 0.1,
            "share of sessions in the treatment arm when a session-level experiment starts (0.05..0.5)");
    public static final TypedOption<Double> EXPERIMENT_RAMP_SHARE = decimal("experiment-ramp-share", 0.5,
            "share the treatment arm is ramped to once a window after the settle time held every guard (0.05..0.5)");
    public static final TypedOption<Duration> EXPERIMENT_BLOCK = duration("experiment-block", Duration.ofSeconds(30),
            "switchback experiments (max_connections, max_frame_bytes): length of one block of the whole node in one arm");
    public static final TypedOption<Double> MIN_EFFECT = decimal("min-effect", 0.05,
            "an experiment keeps a change only when its interval shows at least this relative improvement of the metric");
    public static final TypedOption<Double> CONFIDENCE_LEVEL = decimal("confidence-level", 0.95,
            "level of the interval an experiment is decided on at its maximum duration");
    public static final TypedOption<Double> EARLY_STOP_LEVEL = decimal("early-stop-level", 0.999,
            "level of the interval that stops an experiment early, for clear harm or (after its minimum duration) gain");
    public static final TypedOption<Duration> EXPERIMENT_SETTLE = duration("experiment-settle", Duration.ZERO,
            "windows starting this soon after an experiment starts are not judged (0: the parameter's own)");
    public static final TypedOption<Duration> EXPERIMENT_MIN_DURATION = duration("experiment-min-duration",
            Duration.ZERO, "no verdict of gain or no effect before this (0: the parameter's own, see README)");
    public static final TypedOption<Duration> EXPERIMENT_MAX_DURATION = duration("experiment-max-duration",
            Duration.ZERO, "an experiment ends with the interval it has after this (0: the parameter's own)");
    public static final TypedOption<Double> GUARD_P99_INCREASE = decimal("guard-p99-increase", 0.25,
            "guard: an experiment stops when the treatment's p99 is higher than control's by more than this share ...");
    public static final TypedOption<Duration> GUARD_P99_MIN = duration("guard-p99-min", Duration.ofMillis(2),
            "... and by more than this (loopback latencies are tiny and noisy)");
    public static final TypedOption<Double> GUARD_ERROR_RATE_INCREASE = decimal("guard-error-rate-increase", 0.01,
            "guard: an experiment stops when the treatment's error rate is higher than control's by more than this");
    public static final TypedOption<Integer> GUARD_MIN_SAMPLES = integer("guard-min-samples", 50,
            "a guard compares a stratum of a window only when each arm has at least this many frames in it");
    public static final TypedOption<Exploration> EXPLORATION = choice("exploration", Exploration.ON,
            "on (in apply mode, not a dry run): a node with no change for --exploration-idle gets a small experiment at a "
                    + "neighbouring value of one of "
                    + "its session parameters in turn, so the models' data varies it at random; off: only recommendations");
    public static final TypedOption<Double> EXPLORATION_SHARE = decimal("exploration-share", 0.05,
            "treatment share of an exploration experiment (0.01..0.1); it is never ramped, its guards are armed");
    public static final TypedOption<Double> EXPLORATION_STEP = decimal("exploration-step", 1.5,
            "the trust region of exploration: a neighbouring value is the current one times or divided by this (1.1..1.5)");
    public static final TypedOption<Duration> EXPLORATION_IDLE = duration("exploration-idle", Duration.ofMinutes(10),
            "a node explores only after this long without a change, a pending recommendation or an experiment");
    public static final TypedOption<Duration> REMEMBER_FOR = duration("remember-for", Duration.ofHours(24),
            "gate already_tried: a change like one that ended no_effect, harm or guard is rejected this long, unless "
            + "the node's traffic changed");

    public static final TypedOption<Duration> TICK_INTERVAL = duration("tick-interval", Duration.ofSeconds(1),
            "how often the agent decides, applies, reconciles and verifies");
    public static final TypedOption<Duration> HTTP_TIMEOUT = duration("http-timeout", Duration.ofSeconds(10),
            "timeout of one admin API request to a gateway");
    public static final TypedOption<Duration> RETRY_BACKOFF_MAX = duration("retry-backoff-max", Duration.ofSeconds(60),
            "an unreachable gateway is retried after 1 s, doubling up to this; other gateways go on meanwhile");

    public static final TypedOption<Double> MESSAGE_LOG_SAMPLE = decimal("message-log-sample", 0.1,
            "share of frame events kept in message_log (whole connections are kept or left: sampled by connection id)");
    public static final TypedOption<Duration> MESSAGE_LOG_RETENTION = duration("message-log-retention",
            Duration.ofHours(1), "frame events older than this are deleted from message_log");
    public static final TypedOption<Duration> METRICS_RETENTION = duration("metrics-retention", Duration.ofDays(7),
            "window stats, node samples, anomalies and bigrams older than this are deleted");

    public static final TypedOption<String> FRAMES_TOPIC = string("frames-topic", "qp.frames", "input: frame events");
    public static final TypedOption<String> NODE_METRICS_TOPIC = string("node-metrics-topic", "qp.node-metrics",
            "input: per-second gateway samples");
    public static final TypedOption<String> WINDOW_STATS_TOPIC = string("window-stats-topic", "qp.window-stats",
            "input: window statistics (read_committed)");
    public static final TypedOption<String> ANOMALIES_TOPIC = string("anomalies-topic", "qp.anomalies",
            "input: anomalies (read_committed)");
    public static final TypedOption<String> BIGRAMS_TOPIC = string("bigrams-topic", "qp.bigrams",
            "input: message-type sequences (read_committed)");
    public static final TypedOption<String> MODELS_TOPIC = string("models-topic", "qp.models",
            "input: trained model versions (read_committed)");
    public static final TypedOption<String> RECOMMENDATIONS_TOPIC = string("recommendations-topic",
            "qp.recommendations", "input: parameter recommendations (read_committed)");
    public static final TypedOption<String> EXPERIMENT_STATS_TOPIC = string("experiment-stats-topic",
            "qp.experiment-stats", "input: per-arm statistics of running experiments (read_committed)");
    public static final TypedOption<String> CONTROL_TOPIC = string("control-topic", "qp.control",
            "output: commands to the job (retrain)");

    public static final TypedOption<Integer> DASHBOARD_PORT = integer("dashboard-port", 8090,
            "HTTP port of the operator dashboard (0 = any free port, -1 = no dashboard)");
    public static final TypedOption<String> DASHBOARD_HOST = string("dashboard-host", "0.0.0.0",
            "interface the dashboard listens on");
    public static final TypedOption<Boolean> DASHBOARD_PUBLIC_READ = flag("dashboard-public-read",
            "let the dashboard be read without the token (its controls still need it)");
    public static final TypedOption<String> DASHBOARD_TOKEN_FILE = string("dashboard-token-file", null,
            "file with the token the dashboard asks for (else env QP_ADMIN_TOKEN); without one there is no dashboard");

    /** In the order of the docs table. */
    public static final List<TypedOption<?>> ALL = ObjectiveOptions.after(List.of(
            CONFIG, MODE, DRY_RUN, DB, KAFKA, GROUP_ID,
            MIN_CONFIDENCE, CALIBRATION_MIN_OUTCOMES, COOLDOWN, MAX_STEP_FACTOR,
            EXPERIMENT_SHARE, EXPERIMENT_RAMP_SHARE, EXPERIMENT_BLOCK, MIN_EFFECT, CONFIDENCE_LEVEL, EARLY_STOP_LEVEL,
            EXPERIMENT_SETTLE, EXPERIMENT_MIN_DURATION, EXPERIMENT_MAX_DURATION,
            GUARD_P99_INCREASE, GUARD_P99_MIN, GUARD_ERROR_RATE_INCREASE, GUARD_MIN_SAMPLES,
            EXPLORATION, EXPLORATION_SHARE, EXPLORATION_STEP, EXPLORATION_IDLE, REMEMBER_FOR,
            TICK_INTERVAL, HTTP_TIMEOUT, RETRY_BACKOFF_MAX,
            MESSAGE_LOG_SAMPLE, MESSAGE_LOG_RETENTION, METRICS_RETENTION,
            FRAMES_TOPIC, NODE_METRICS_TOPIC, WINDOW_STATS_TOPIC, ANOMALIES_TOPIC, BIGRAMS_TOPIC, MODELS_TOPIC,
            RECOMMENDATIONS_TOPIC, EXPERIMENT_STATS_TOPIC, CONTROL_TOPIC,
            DASHBOARD_PORT, DASHBOARD_HOST, DASHBOARD_PUBLIC_READ, DASHBOARD_TOKEN_FILE));

    /**
     * Options of the before/after verifier that experiments replaced: a config file that still sets them starts (the
     * key is ignored, with a warning in the log); on the command line they are an error that says why.
     */
    public static final List<String> RETIRED = List.of("verification-windows", "verify-min-share",
            "verification-timeout", "settle-time");

    public static TypedOption<?> byName(String name) {
        for (TypedOption<?> o : ALL) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }
}
