package qp.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's objective, declared once: the service levels, and the smallest improvement worth a change. The job
 * and the agent both list these among their options, with the same names, defaults and meaning. Give both the same
 * values (a config key or an option of the agent, a job argument); {@code bin/qp up} passes {@code QP_SLO_P99},
 * {@code QP_SLO_ERROR_RATE}, {@code QP_SLO_REFUSAL_RATE} and {@code QP_MIN_IMPROVEMENT} to both. The job sizes its
 * recommendations for the service levels and states its models' confidence as the probability that a change improves
 * its metric by more than {@link #MIN_IMPROVEMENT}; the agent gates on that improvement and stops an experiment whose
 * treatment breaks a service level while its control keeps it.
 */
public final class ObjectiveOptions {
    private ObjectiveOptions() {
    }

    public static final TypedOption<Duration> SLO_P99 = TypedOption.duration("slo-p99", Duration.ofMillis(200),
            "service level: the p99 latency of admitted work (receive to reply) a node must keep");
    public static final TypedOption<Double> SLO_ERROR_RATE = TypedOption.decimal("slo-error-rate", 0.01,
            "service level: the share of frames answered with an error (refusals aside) a node may have");
    public static final TypedOption<Double> SLO_REFUSAL_RATE = TypedOption.decimal("slo-refusal-rate", 0.05,
            "service level: the share of frames refused as OVERLOADED (max_connections) a node may have");

    public static final TypedOption<Double> MIN_IMPROVEMENT = TypedOption.decimal("min-improvement", 0.2,
            "the smallest relative improvement worth a change: the agent's improvement gate, and what the job's model "
                    + "confidence is the probability of exceeding");

    public static final List<TypedOption<?>> ALL = List.of(SLO_P99, SLO_ERROR_RATE, SLO_REFUSAL_RATE, MIN_IMPROVEMENT);

    /** A component's own options followed by the objective's: its whole list, for its parser and its table. */
    public static List<TypedOption<?>> after(List<TypedOption<?>> own) {
        List<TypedOption<?>> all = new ArrayList<>(own);
        all.addAll(ALL);
        return List.copyOf(all);
    }

    /** The one check of the values, for both components: a positive p99, rates and the improvement in (0, 1). */
    public static void check(Duration p99, double errorRate, double refusalRate, double minImprovement) {
        if (!(minImprovement > 0 && minImprovement < 1)) {
            throw new IllegalArgumentException("--min-improvement must be between 0 and 1, got " + minImprovement);
        }
        if (p99.isNegative() || p99.isZero()) {
            throw new IllegalArgumentException("--slo-p99 must be positive, got " + Durations.format(p99));
        }
        if (!(errorRate > 0 && errorRate < 1)) {
            throw new IllegalArgumentException("--slo-error-rate must be between 0 and 1, got " + errorRate);
        }
        if (!(refusalRate > 0 && refusalRate < 1)) {
            throw new IllegalArgumentException("--slo-refusal-rate must be between 0 and 1, got " + refusalRate);
        }
    }
}
