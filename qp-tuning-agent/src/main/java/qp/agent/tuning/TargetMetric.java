package qp.agent.tuning;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The metric a recommendation promises to improve ({@code targetMetric}), as measured over a node's windows. Every
 * one is lower-is-better; the agent's observed improvement is {@code (before - after) / before}.
 */
public enum TargetMetric {
    BYTES("bytes", "wire bytes per frame", ws -> ratio(ws, WindowSample::bytes, WindowSample::count)),
    FRAMES("frames", "frames per second", ws -> mean(ws, WindowSample::throughputPerSec)),
    LATENCY_P95("latency_p95", "p95 latency (us)", ws -> mean(ws, WindowSample::latencyP95Micros)),
    ERRORS("errors", "error rate", TargetMetric::errorRate),
    HEARTBEAT_TIMEOUTS("heartbeat_timeouts", "heartbeat timeouts per window", ws -> mean(ws, w -> w.heartbeatTimeouts()));

    private final String wire;
    private final String description;
    private final ToDoubleFunction<List<WindowSample>> measure;

    TargetMetric(String wire, String description, ToDoubleFunction<List<WindowSample>> measure) {
        this.wire = wire;
        this.description = description;
        this.measure = measure;
    }

    public String wire() {
        return wire;
    }

    public String description() {
        return description;
    }

    public double of(List<WindowSample> windows) {
        return measure.applyAsDouble(windows);
    }

    /** Null for a name the agent does not know how to measure. */
    public static TargetMetric ofWire(String name) {
        for (TargetMetric m : values()) {
            if (m.wire.equals(name)) {
                return m;
            }
        }
        return null;
    }

    static double errorRate(List<WindowSample> ws) {
        return ratio(ws, WindowSample::errorCount, WindowSample::count);
    }

    static double p99(List<WindowSample> ws) {
        return mean(ws, WindowSample::latencyP99Micros);
    }

    private static double ratio(List<WindowSample> ws, ToDoubleFunction<WindowSample> num,
            ToDoubleFunction<WindowSample> den) {
        double n = 0;
        double d = 0;
        for (WindowSample w : ws) {
            n += num.applyAsDouble(w);
            d += den.applyAsDouble(w);
        }
        return d == 0 ? 0 : n / d;
    }

    private static double mean(List<WindowSample> ws, ToDoubleFunction<WindowSample> f) {
        return ws.isEmpty() ? 0 : ws.stream().mapToDouble(f).average().orElse(0);
    }
}
