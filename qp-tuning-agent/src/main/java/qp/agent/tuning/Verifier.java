package qp.agent.tuning;

import java.util.List;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;

/**
 * Compares the node's windows after a change with as many before it, on the recommendation's target metric, with
 * p99 latency and the error rate as guards. Keeps a change that met enough of its expectation and worsened no guard;
 * rolls back the rest. A change that never gets its windows is rolled back after the verification timeout.
 */
public final class Verifier {
    private final WindowHistory history;
    private final int windows;
    private final double minShareOfExpected;
    private final double maxP99Increase;
    private final double maxErrorRateIncrease;
    private final long timeoutMs;
    private final long settleMs;

    public Verifier(AgentConfig config, WindowHistory history) {
        this.history = history;
        this.windows = config.get(AgentOptions.VERIFICATION_WINDOWS);
        this.minShareOfExpected = config.get(AgentOptions.VERIFY_MIN_SHARE);
        this.maxP99Increase = config.get(AgentOptions.GUARD_P99_INCREASE);
        this.maxErrorRateIncrease = config.get(AgentOptions.GUARD_ERROR_RATE_INCREASE);
        this.timeoutMs = config.get(AgentOptions.VERIFICATION_TIMEOUT).toMillis();
        this.settleMs = config.get(AgentOptions.SETTLE_TIME).toMillis();
    }

    public Verdict judge(Optimization o, long nowMs) {
        long changedAt = o.appliedAtMs();
        long startedAt = o.applyingAtMs() != null ? o.applyingAtMs() : changedAt;
        List<WindowSample> after = history.after(o.nodeId(), changedAt + settleMs, windows);
        boolean enoughAfter = after.size() >= windows;
        boolean timedOut = nowMs - changedAt >= timeoutMs;
        if (!enoughAfter) {
            return timedOut ? new Verdict(Verdict.Kind.ROLL_BACK, null, null, null, String.format(
                    "rolled back: only %d of %d windows after the change within %d s, so it cannot be shown to help",
                    after.size(), windows, timeoutMs / 1000)) : Verdict.waiting(after.size() + " of " + windows + " windows after the change");
        }
        List<WindowSample> before = history.before(o.nodeId(), startedAt, windows);
        if (before.isEmpty()) {
            return new Verdict(Verdict.Kind.ROLL_BACK, null, null, null,
                    "rolled back: no windows before the change to compare with, so it cannot be shown to help");
        }
        TargetMetric target = TargetMetric.ofWire(o.recommendation().targetMetric());
        if (target == null) {
            return new Verdict(Verdict.Kind.ROLL_BACK, null, null, null, "rolled back: the agent cannot measure target "
                    + "metric '" + o.recommendation().targetMetric() + "'");
        }
        double b = target.of(before);
        double a = target.of(after);
        double observed = improvement(b, a);
        double expected = o.recommendation().expectedImprovement();
        double required = minShareOfExpected * expected;

        double p99Before = TargetMetric.p99(before);
        double p99After = TargetMetric.p99(after);
        double errBefore = TargetMetric.errorRate(before);
        double errAfter = TargetMetric.errorRate(after);
        boolean p99Worse = p99Before > 0 && (p99After - p99Before) / p99Before > maxP99Increase;
        boolean errorsWorse = errAfter - errBefore > maxErrorRateIncrease;
        boolean metExpectation = observed >= required;

        String figures = String.format("expected %s, observed %s", signed(-expected), signed(-observed))
                + " " + target.wire();
        if (p99Worse) {
            return new Verdict(Verdict.Kind.ROLL_BACK, b, a, observed, figures + String.format(
                    " | rolled back: p99 latency rose %.0f%% (%.0f -> %.0f us; guard %.0f%%)",
                    100 * (p99After - p99Before) / p99Before, p99Before, p99After, 100 * maxP99Increase));
        }
        if (errorsWorse) {
            return new Verdict(Verdict.Kind.ROLL_BACK, b, a, observed, figures + String.format(
                    " | rolled back: error rate rose %.2f%% -> %.2f%% (guard +%.2f)", 100 * errBefore, 100 * errAfter,
                    100 * maxErrorRateIncrease));
        }
        if (!metExpectation) {
            return new Verdict(Verdict.Kind.ROLL_BACK, b, a, observed, figures + String.format(
                    " | rolled back: %s %s (%.1f -> %.1f), needed at least %s", target.description(),
                    observed < 0 ? "got worse" : "improved too little", b, a, signed(-required)));
        }
        return new Verdict(Verdict.Kind.KEEP, b, a, observed, figures + String.format(" (%s %.1f -> %.1f) | kept",
                target.description(), b, a));
    }

    static double improvement(double before, double after) {
        if (before == 0) {
            return after == 0 ? 0 : -1;
        }
        return (before - after) / before;
    }

    /** A relative change as "-55%" / "+5%". */
    static String signed(double change) {
        long pct = Math.round(100 * change);
        return (pct > 0 ? "+" : pct == 0 ? "±" : "") + pct + "%";
    }
}
