package qp.protocol.params;

import static qp.protocol.experiments.ArmMetric.ADMITTED_LATENCY;
import static qp.protocol.experiments.ArmMetric.ERROR_RATE;
import static qp.protocol.experiments.ArmMetric.HEARTBEATS_PER_CONNECTION_MINUTE;
import static qp.protocol.experiments.ArmMetric.LATENCY_P99;
import static qp.protocol.experiments.ArmMetric.REFUSALS_PER_MINUTE;
import static qp.protocol.experiments.ArmMetric.STREAM_LATENCY;
import static qp.protocol.experiments.ArmMetric.WIRE_BYTES_PER_RAW_BYTE;

import java.util.List;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentGoal;

/**
 * The run-time tunable parameters of PROTOCOL.md: their names on the wire, defaults and ranges, declared once for
 * the gateway (validation), the stream job (recommendations) and the tuning agent (bounds gates); with each, how an
 * experiment assigns its arms and what it is judged on ({@link ExperimentGoal}).
 */
public enum TunableParameter {
    BUFFER_SIZE("buffer_size", "bytes", 8 * 1024, 4 * 1024, 64 * 1024, false,
            "WebSocket read buffer per connection and the payload batch size for outgoing STREAM data",
            Assignment.SESSION, new ExperimentGoal(STREAM_LATENCY, List.of(LATENCY_P99, ERROR_RATE),
                    5_000, 60_000, 300_000, 0)),
    HEARTBEAT_INTERVAL("heartbeat_interval", "ms", 30_000, 15_000, 60_000, false,
            "silence after which the server sends a HEARTBEAT; twice this closes the session (1001)",
            Assignment.SESSION, new ExperimentGoal(HEARTBEATS_PER_CONNECTION_MINUTE, List.of(ERROR_RATE),
                    0, 60_000, 300_000, 2.5)),
    COMPRESSION_THRESHOLD("compression_threshold", "bytes", TunableParams.OFF, 256, 1024 * 1024, true,
            "smallest outgoing payload compressed for sessions that asked for compression, or off",
            Assignment.SESSION, new ExperimentGoal(WIRE_BYTES_PER_RAW_BYTE, List.of(LATENCY_P99, ERROR_RATE),
                    5_000, 30_000, 300_000, 0)),
    MAX_CONNECTIONS("max_connections", "connections", 100, 1, 100_000, false,
            "open connections above which a new one gets OVERLOADED (1013)",
            Assignment.SWITCHBACK, new ExperimentGoal(REFUSALS_PER_MINUTE, List.of(LATENCY_P99, ERROR_RATE),
                    2_000, 120_000, 600_000, 0)),
    MAX_FRAME_BYTES("max_frame_bytes", "bytes", 1024 * 1024, 1024, 16 * 1024 * 1024, false,
            "largest frame payload accepted (as sent and after decompression); above it FRAME_TOO_LARGE (1009)",
            Assignment.SWITCHBACK, new ExperimentGoal(ERROR_RATE, List.of(LATENCY_P99, ADMITTED_LATENCY),
                    2_000, 120_000, 600_000, 0));

    private final String wireName;
    private final String unit;
    private final long defaultValue;
    private final long min;
    private final long max;
    private final boolean allowsOff;
    private final String description;
    private final Assignment assignment;
    private final ExperimentGoal goal;

    TunableParameter(String wireName, String unit, long defaultValue, long min, long max, boolean allowsOff,
            String description, Assignment assignment, ExperimentGoal goal) {
        this.wireName = wireName;
        this.unit = unit;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.allowsOff = allowsOff;
        this.description = description;
        this.assignment = assignment;
        this.goal = goal;
    }

    /** How an experiment on this parameter assigns its arms: per session, or the whole node in blocks. */
    public Assignment assignment() {
        return assignment;
    }

    /** What an experiment on this parameter is judged on, with its guards and durations. */
    public ExperimentGoal goal() {
        return goal;
    }

    /**
     * What an experiment from {@code control} to {@code treatment} is judged on. The same as {@link #goal()}, but for a
     * lower max_connections: a limiter lowers its limit to bring the latency of the admitted work within the SLO, and
     * pays in refusals, so that step is judged on the admitted work's latency ({@link #LOWER_LIMIT}); a higher limit
     * is judged on the refusals it saves, the latency SLO guarding it.
     */
    public ExperimentGoal goalFor(long control, long treatment) {
        return this == MAX_CONNECTIONS && treatment < control ? LOWER_LIMIT : goal;
    }

    /** A lower max_connections: the admitted work's mean latency, with the error rate as guard; it sheds load. */
    static final ExperimentGoal LOWER_LIMIT = new ExperimentGoal(ADMITTED_LATENCY, List.of(ERROR_RATE),
            2_000, 120_000, 600_000, 0, true);

    public String wireName() {
        return wireName;
    }

    public String unit() {
        return unit;
    }

    public long defaultValue() {
        return defaultValue;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public boolean allowsOff() {
        return allowsOff;
    }

    public String description() {
        return description;
    }

    /** Null when the value is in range, else a sentence naming the field, the value and the range. */
    public String validate(long value) {
        if (allowsOff && value == TunableParams.OFF) {
            return null;
        }
        if (value < min || value > max) {
            return wireName + ": " + value + " is outside " + min + ".." + max + " " + unit
                    + (allowsOff ? " (or \"off\")" : "");
        }
        return null;
    }

    /** A value as a person reads it: "off", "2048 bytes", "45000 ms". */
    public String show(long value) {
        return allowsOff && value == TunableParams.OFF ? "off" : value + " " + unit;
    }

    /** {@link #show(long)} for a parameter named on the wire; the bare number for a name this build does not know. */
    public static String show(String wireName, long value) {
        TunableParameter p = byWireName(wireName);
        return p == null ? Long.toString(value) : p.show(value);
    }

    public static TunableParameter byWireName(String name) {
        for (TunableParameter p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
