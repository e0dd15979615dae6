package qp.agent.experiments;

import qp.protocol.experiments.Arm;

/**
 * When an experiment may stop, said in advance (Haybittle-Peto): at every look before the maximum duration it stops
 * only on an interval at the strict {@code earlyLevel} (99.9%) — for clear harm at any time, for clear gain once the
 * minimum duration has passed; at the maximum duration it decides on the {@code level} (95%) interval. The strict
 * early level keeps the chance of a false verdict over many looks close to that of one look at the end.
 *
 * @param level          the interval of the final decision
 * @param earlyLevel     the interval of an early stop
 * @param minImprovement the improvement (relative, e.g. 0.05) the interval must clear for {@code kept}
 */
public record SequentialRule(double level, double earlyLevel, double minImprovement) {

    /** A look's outcome: a verdict (null: go on) with the estimate it rests on (null when there is none yet). */
    public record Look(ExperimentVerdict verdict, Estimate estimate, String why) {
    }

    public Look look(ArmComparison data, long elapsedMs, long minDurationMs, long maxDurationMs) {
        boolean atEnd = elapsedMs >= maxDurationMs;
        Estimate early = data.estimate(earlyLevel);
        if (!atEnd) {
            if (early != null && early.clearlyHarmful()) {
                return new Look(ExperimentVerdict.HARM, early, "clear harm at an early look");
            }
            if (early != null && elapsedMs >= minDurationMs && early.clearlyBetterBy(minImprovement)) {
                return new Look(ExperimentVerdict.KEPT, early, "clear gain at an early look");
            }
            return new Look(null, data.estimate(level), null);
        }
        Estimate last = data.estimate(level);
        if (last == null) {
            return new Look(ExperimentVerdict.TIMED_OUT, null, String.format("too little data for an interval at the "
                    + "maximum duration (buckets with data: control %d, treatment %d; at least 2 each)",
                    data.units(Arm.CONTROL), data.units(Arm.TREATMENT)));
        }
        if (last.clearlyBetterBy(minImprovement)) {
            return new Look(ExperimentVerdict.KEPT, last, "at the maximum duration");
        }
        if (last.clearlyHarmful()) {
            return new Look(ExperimentVerdict.HARM, last, "at the maximum duration");
        }
        return new Look(ExperimentVerdict.NO_EFFECT, last, "at the maximum duration");
    }
}
