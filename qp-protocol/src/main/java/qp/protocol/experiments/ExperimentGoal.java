package qp.protocol.experiments;

import java.util.List;

/**
 * What an experiment on a parameter is judged on, declared once beside the parameter's range
 * ({@code TunableParameter#goal()}).
 *
 * @param metric             the metric the parameter can move; the effect and its interval are computed on it
 * @param guards             metrics that must not get worse in the treatment arm; a breach stops the experiment
 * @param settleMillis       data from the first this-many ms after the start (or a ramp) is not judged
 * @param minDurationMillis  no verdict of gain or no effect before this (harm and guards may stop it sooner)
 * @param maxDurationMillis  after this the experiment ends with the interval it has
 * @param intervalHorizons   the minimum duration is also at least this many times the larger of the two values
 *                           (for time parameters: a heartbeat shows only over more than twice its interval); 0: none
 * @param shedsLoad          the change refuses work on purpose to keep the latency of the admitted work within the
 *                           SLO (a lower max_connections): refusals are its cost, so the refusal-rate SLO does not
 *                           guard it; the latency it is judged on does
 */
public record ExperimentGoal(
        ArmMetric metric,
        List<ArmMetric> guards,
        long settleMillis,
        long minDurationMillis,
        long maxDurationMillis,
        double intervalHorizons,
        boolean shedsLoad) {

    /** A goal whose change sheds no load: every SLO guards it. */
    public ExperimentGoal(ArmMetric metric, List<ArmMetric> guards, long settleMillis, long minDurationMillis,
            long maxDurationMillis, double intervalHorizons) {
        this(metric, guards, settleMillis, minDurationMillis, maxDurationMillis, intervalHorizons, false);
    }

    /** The minimum duration for an experiment between these two values. */
    public long minDurationMillis(long control, long treatment) {
        long horizon = (long) (intervalHorizons * Math.max(control, treatment));
        return Math.max(minDurationMillis, horizon);
    }

    /** The maximum duration, never shorter than twice the minimum for these values. */
    public long maxDurationMillis(long control, long treatment) {
        return Math.max(maxDurationMillis, 2 * minDurationMillis(control, treatment));
    }
}
