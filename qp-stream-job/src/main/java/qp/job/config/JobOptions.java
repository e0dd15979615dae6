package qp.job.config;

import static qp.options.TypedOption.choice;
import static qp.options.TypedOption.decimal;
import static qp.options.TypedOption.duration;
import static qp.options.TypedOption.flag;
import static qp.options.TypedOption.integer;
import static qp.options.TypedOption.string;

import java.time.Duration;
import java.util.List;
import qp.job.analytics.AnalyticsSettings;
import qp.options.ObjectiveOptions;
import qp.options.TypedOption;

/** Every option of the job, declared once. The docs table ({@link OptionsDoc}) and the argument parser read this list. */
public final class JobOptions {
    private JobOptions() {
    }

    public static final TypedOption<String> BOOTSTRAP_SERVERS = string("bootstrap-servers", "localhost:9092",
            "Kafka brokers to read from and write to");
    public static final TypedOption<String> GROUP_ID = string("group-id", "qp-stream-job",
            "Kafka consumer group of the sources (offsets are committed on checkpoints)");
    public static final TypedOption<StartingOffsets> STARTING_OFFSETS = choice("starting-offsets",
            StartingOffsets.COMMITTED, "where to start without a checkpoint: the group's committed offsets (else earliest), earliest or latest");
    public static final TypedOption<Boolean> BOUNDED = flag("bounded",
            "read only up to the offsets that were the latest at start, then finish (replays and benchmarks)");

    public static final TypedOption<String> FRAMES_TOPIC = string("frames-topic", "qp.frames",
            "input: one event per frame (FrameEvent JSON)");
    public static final TypedOption<String> NODE_METRICS_TOPIC = string("node-metrics-topic", "qp.node-metrics",
            "input: per-second samples of each gateway node (NodeMetrics JSON)");
    public static final TypedOption<String> WINDOW_STATS_TOPIC = string("window-stats-topic", "qp.window-stats",
            "output: statistics per node, type and window, keyed node/type");
    public static final TypedOption<String> ANOMALIES_TOPIC = string("anomalies-topic", "qp.anomalies",
            "output: anomalies with their evidence, keyed node");
    public static final TypedOption<String> BIGRAMS_TOPIC = string("bigrams-topic", "qp.bigrams",
            "output: message-type sequence counts per node and window, keyed node");
    public static final TypedOption<String> RECOMMENDATIONS_TOPIC = string("recommendations-topic",
            "qp.recommendations", "output: parameter recommendations, keyed node/parameter");
    public static final TypedOption<String> TRENDS_TOPIC = string("trends-topic", "qp.trends",
            "output: per node, throughput and p95 latency trends (slopes) over its recent windows, keyed node");
    public static final TypedOption<String> DLQ_TOPIC = string("dlq-topic", "qp.dlq",
            "output: input records that could not be read, with topic, partition, offset, reason and the raw value");
    public static final TypedOption<String> LATE_FRAMES_TOPIC = string("late-frames-topic", "qp.late-frames",
            "output: frame events that came after their window closed, unchanged (FrameEvent JSON), keyed connection id");
    public static final TypedOption<String> EXPERIMENT_STATS_TOPIC = string("experiment-stats-topic",
            "qp.experiment-stats", "output: per node, running experiment and window, each arm's frames, bytes, errors, "
                    + "refusals and latency per bucket, type, direction and payload band, keyed node/experiment");

    public static final TypedOption<Duration> WINDOW_SIZE = duration("window-size", Duration.ofSeconds(10),
            "length of the tumbling event-time windows");
    public static final TypedOption<Duration> WATERMARK_DELAY = duration("watermark-delay", Duration.ofSeconds(2),
            "bounded out-of-orderness: how far behind the newest event an event may come and still count");
    public static final TypedOption<Duration> IDLE_TIMEOUT = duration("idle-timeout", Duration.ofSeconds(30),
            "a source partition without events for this long, counted only while its reader has read everything (nothing left to fetch or emit), stops holding back the watermark");

    public static final TypedOption<Duration> ALLOWED_LATENESS = duration("allowed-lateness", Duration.ZERO,
            "how long after the watermark a window still takes late frames and fires again; later ones go to the late-frames topic. Above 0 the per-node rows are folded from every frame again (at 0 they are merged from the per-type windows, one record per type and window)");
    public static final TypedOption<Duration> SLIDING_WINDOW_SIZE = duration("sliding-window-size", Duration.ZERO,
            "length of the optional sliding per-node view of the window stats; 0 = none");
    public static final TypedOption<Duration> SLIDING_WINDOW_STEP = duration("sliding-window-step",
            Duration.ofSeconds(10), "step of the sliding view");

    public static final TypedOption<Double> SIGMA_THRESHOLD = decimal("sigma-threshold", 3.0,
            "a window more than this many σ above its node/type's baseline is an anomaly; critical from twice it");
    public static final TypedOption<Double> FRAME_SIGMA_THRESHOLD = decimal("frame-sigma-threshold",
            AnalyticsSettings.Detectors.DEFAULT_FRAME_SIGMA_THRESHOLD,
            "a single frame more than this many σ above the usual slowest frame of its node/type (median and MAD "
                    + "of ln(latency) of the slowest frame in each of its last 30 windows) is a frame latency spike; "
                    + "one report per incident, which ends after --calm-windows calm windows");
    public static final TypedOption<Integer> WARMUP_WINDOWS = integer("warmup-windows", 5,
            "windows a node/type must have seen before the detectors judge it");
    public static final TypedOption<Integer> CALM_WINDOWS = integer("calm-windows", 3,
            "hysteresis: calm windows in a row that end an incident, so one incident raises one anomaly");
    public static final TypedOption<Double> MIN_ERROR_RATE = decimal("min-error-rate", 0.05,
            "an error burst needs at least this error rate in the window");
    public static final TypedOption<Integer> MIN_ERROR_COUNT = integer("min-error-count", 5,
            "an error burst needs at least this many errors in the window");
    public static final TypedOption<Double> TYPE_MIX_THRESHOLD = decimal("type-mix-threshold", 0.25,
            "total-variation distance from a node's baseline message-type mix that counts as a shift");
    public static final TypedOption<Integer> BIGRAM_TOP_N = integer("bigram-top-n", 10,
            "message-type sequences listed per node and window");
    public static final TypedOption<Integer> RULE_SUSTAIN_WINDOWS = integer("rule-sustain-windows", 3,
            "windows in a row a recommendation rule must hold before it recommends");
    public static final TypedOption<Duration> RECOMMENDATION_COOLDOWN = duration("recommendation-cooldown",
            Duration.ofMinutes(5), "the same node/parameter is not recommended again within this time");
    public static final TypedOption<Integer> MIN_CONNECTION_LIMIT = integer("min-connection-limit", 20,
            "the concurrency-limit rule never lowers max_connections below this, nor lowers it when no more "
                    + "connections are in force: latency over the SLO with so few is not queueing a limit can cut "
                    + "(like the minimum limit of Netflix's concurrency-limits, 20 by default)");

    public static final TypedOption<Duration> CHECKPOINT_INTERVAL = duration("checkpoint-interval",
            Duration.ofSeconds(10), "time between checkpoints, and at least half of it from the end of one to the start of "
                    + "the next (and from the job's start to its first); exactly-once results become visible at each one");
    public static final TypedOption<String> CHECKPOINT_DIR = string("checkpoint-dir", "",
            "where checkpoints are written, any Flink file system URI (file:///var/qp/checkpoints, s3://bucket/qp); "
                    + "empty: the cluster's execution.checkpointing.dir, or .qp/checkpoints with --local");
    public static final TypedOption<StateBackendKind> STATE_BACKEND = choice("state-backend", StateBackendKind.HASHMAP,
            "hashmap keeps state on the heap; rocksdb keeps it on local disk with incremental checkpoints, for state larger than memory");
    public static final TypedOption<Duration> CHECKPOINT_TIMEOUT = duration("checkpoint-timeout", Duration.ofMinutes(2),
            "a checkpoint not complete after this long is declined (a WARN line in the log) and the next one is tried");
    public static final TypedOption<Boolean> FRESH = flag("fresh",
            "with --local: start from the starting offsets instead of resuming from the latest retained checkpoint in --checkpoint-dir");
    public static final TypedOption<Delivery> DELIVERY = choice("delivery", Delivery.EXACTLY_ONCE,
            "delivery guarantee of the Kafka sinks");
    public static final TypedOption<String> TRANSACTIONAL_ID_PREFIX = string("transactional-id-prefix",
            "qp-stream-job", "prefix of the sinks' Kafka transactional ids; unique per job on a cluster");
    public static final TypedOption<Duration> TRANSACTION_TIMEOUT = duration("transaction-timeout",
            Duration.ofMinutes(5), "Kafka transaction.timeout.ms of the sinks; must stay below the broker's transaction.max.timeout.ms (15 min)");
    public static final TypedOption<Integer> PARALLELISM = integer("parallelism", 2,
            "parallelism of every operator");

    public static final TypedOption<Boolean> LOCAL = flag("local",
            "run in this JVM with the Flink web UI (needs the provided Flink jars on the classpath)");
    public static final TypedOption<Integer> WEB_UI_PORT = integer("web-ui-port", 8081,
            "port of the Flink web UI in --local mode");
    public static final TypedOption<Boolean> PASS_THROUGH = flag("pass-through",
            "read and deserialize the frames, then discard them: no analytics (the benchmark's baseline)");

    // ---- Models trained in the job and their recommendations (qp.job.training) ----------------
    public static final TypedOption<String> MODELS_TOPIC = string("models-topic", "qp.models",
            "output: each trained model version (published or rejected) with its scores and the model (base64), keyed model name");
    public static final TypedOption<String> CONTROL_TOPIC = string("control-topic", "qp.control",
            "input: commands to the job, e.g. {\"command\":\"retrain\",\"nodeId\":\"edge-1\"} (nodeId optional: every node)");
    public static final TypedOption<Boolean> WITHOUT_TRAINING = flag("without-training",
            "leave the models out: no training sample, no model recommendations or outliers (for comparisons)");
    public static final TypedOption<Duration> RETRAIN_INTERVAL = duration("retrain-interval", Duration.ofHours(1),
            "how often each node's models are retrained (processing time), given enough new rows");
    public static final TypedOption<Integer> MIN_TRAIN_SAMPLES = integer("min-train-samples", 1000,
            "new replied frames of a node since its last training that a scheduled retraining needs (a skipped one is logged)");
    public static final TypedOption<Integer> TRAIN_SAMPLE_SIZE = integer("train-sample-size", 10_000,
            "training rows kept per node in state at most: equal shares of the train-horizon's 20 time buckets, a uniform reservoir in each");
    public static final TypedOption<Duration> TRAIN_HORIZON = duration("train-horizon", Duration.ofMinutes(10),
            "event time a node's training sample spans (the last this much of its traffic, whatever the retrain interval and frame rate)");
    public static final TypedOption<Double> R2_GATE = decimal("r2-gate", 0.7,
            "held-out R² a latency model needs to be published; below it the previous model stays");
    public static final TypedOption<Integer> FOREST_TREES = integer("forest-trees", 30,
            "trees per latency forest (training takes about 0.6 s per tree at 8,000 rows, off the task thread)");
    public static final TypedOption<Integer> FOREST_DEPTH = integer("forest-depth", 10, "depth of each tree");
    public static final TypedOption<Double> ANOMALY_FALSE_ALARMS_PER_HOUR = decimal("anomaly-false-alarms-per-hour",
            1.0, "per node: windows of normal traffic per hour the traffic anomaly model may score above its threshold "
                    + "(the threshold is the score quantile 1 - this x window size / 1 h, from a tail fit); at most "
                    + "5% of the windows");

    /** Options of earlier builds, with what replaced each: given to the job, they are an error that says so. */
    public static final java.util.Map<String, String> RETIRED = java.util.Map.of("anomaly-contamination",
            "--anomaly-false-alarms-per-hour (the threshold now comes from a false-alarm budget, not a share of "
                    + "outliers assumed in the training windows)",
            "latency-target", "--slo-p99 (the service level the agent guards too; the max_connections recommendation "
                    + "keeps the model's predicted p95 under it)");

    /** In the order of the docs table. */
    public static final List<TypedOption<?>> ALL = ObjectiveOptions.after(List.of(
            BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, BOUNDED,
            FRAMES_TOPIC, NODE_METRICS_TOPIC, WINDOW_STATS_TOPIC, ANOMALIES_TOPIC, BIGRAMS_TOPIC,
            RECOMMENDATIONS_TOPIC, TRENDS_TOPIC, DLQ_TOPIC, LATE_FRAMES_TOPIC, EXPERIMENT_STATS_TOPIC,
            WINDOW_SIZE, WATERMARK_DELAY, IDLE_TIMEOUT, ALLOWED_LATENESS, SLIDING_WINDOW_SIZE, SLIDING_WINDOW_STEP,
            SIGMA_THRESHOLD, FRAME_SIGMA_THRESHOLD, WARMUP_WINDOWS, CALM_WINDOWS, MIN_ERROR_RATE, MIN_ERROR_COUNT, TYPE_MIX_THRESHOLD,
            BIGRAM_TOP_N, RULE_SUSTAIN_WINDOWS, RECOMMENDATION_COOLDOWN, MIN_CONNECTION_LIMIT,
            CHECKPOINT_INTERVAL, DELIVERY, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT, PARALLELISM,
            LOCAL, WEB_UI_PORT, PASS_THROUGH,
            CHECKPOINT_DIR, STATE_BACKEND, CHECKPOINT_TIMEOUT, FRESH,
            MODELS_TOPIC, CONTROL_TOPIC, WITHOUT_TRAINING, RETRAIN_INTERVAL, MIN_TRAIN_SAMPLES, TRAIN_SAMPLE_SIZE,
            TRAIN_HORIZON, R2_GATE, FOREST_TREES, FOREST_DEPTH, ANOMALY_FALSE_ALARMS_PER_HOUR));
}
