package qp.agent.experiments;

import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.options.ObjectiveOptions;
import qp.protocol.experiments.ExperimentGoal;

/**
 * How the agent runs experiments: the start and ramp shares (an exploration's share, never ramped), the switchback block, the decision rule, the guards,
 * and the durations (each parameter's own from its {@link ExperimentGoal} unless an option overrides them).
 */
public record ExperimentSettings(
        double share,
        double rampShare,
        long blockMillis,
        SequentialRule rule,
        Guards guards,
        long settleOverrideMs,
        long minDurationOverrideMs,
        long maxDurationOverrideMs,
        double explorationShare) {

    public static ExperimentSettings of(AgentConfig c) {
        return new ExperimentSettings(c.get(AgentOptions.EXPERIMENT_SHARE), c.get(AgentOptions.EXPERIMENT_RAMP_SHARE),
                c.get(AgentOptions.EXPERIMENT_BLOCK).toMillis(),
                new SequentialRule(c.get(AgentOptions.CONFIDENCE_LEVEL), c.get(AgentOptions.EARLY_STOP_LEVEL),
                        c.get(AgentOptions.MIN_EFFECT)),
                new Guards(c.get(AgentOptions.GUARD_P99_INCREASE), c.get(AgentOptions.GUARD_P99_MIN).toNanos() / 1000,
                        c.get(AgentOptions.GUARD_ERROR_RATE_INCREASE), c.get(AgentOptions.GUARD_MIN_SAMPLES),
                        new Guards.ServiceLevels(c.get(ObjectiveOptions.SLO_P99).toNanos() / 1000,
                                c.get(ObjectiveOptions.SLO_ERROR_RATE), c.get(ObjectiveOptions.SLO_REFUSAL_RATE))),
                c.get(AgentOptions.EXPERIMENT_SETTLE).toMillis(), c.get(AgentOptions.EXPERIMENT_MIN_DURATION).toMillis(),
                c.get(AgentOptions.EXPERIMENT_MAX_DURATION).toMillis(),
                Math.min(c.get(AgentOptions.EXPLORATION_SHARE), c.get(AgentOptions.EXPERIMENT_SHARE)));
    }

    long settleMs(Experiment e) {
        return settleOverrideMs > 0 ? settleOverrideMs : e.goal().settleMillis();
    }

    long minDurationMs(Experiment e) {
        return minDurationOverrideMs > 0 ? minDurationOverrideMs
                : e.goal().minDurationMillis(e.control(), e.treatment());
    }

    long maxDurationMs(Experiment e) {
        long max = maxDurationOverrideMs > 0 ? maxDurationOverrideMs
                : e.goal().maxDurationMillis(e.control(), e.treatment());
        return Math.max(max, minDurationMs(e));
    }
}
