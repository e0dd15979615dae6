package qp.agent.insight;

import java.util.List;
import qp.agent.experiments.Estimate;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentStore;
import qp.protocol.params.TunableParameter;

/**
 * One experiment as {@code bin/qp experiments}, the report and the dashboard show it (their JSON field names). The
 * effect and its interval are ratios on the target metric, {@code treatment / control - 1}: -0.62 is 62% lower, which
 * is better for every metric; they are null until the experiment has an interval.
 *
 * @param change  the two values as a person reads them, {@code "off -> 1024 bytes"}
 * @param share   the share of sessions in treatment (session assignment; 0 for switchback)
 * @param verdict null until it is decided
 */
public record ExperimentRow(
        String id,
        String recommendationId,
        String nodeId,
        String parameter,
        long controlValue,
        long treatmentValue,
        String change,
        String assignment,
        double share,
        long blockMillis,
        String status,
        String targetMetric,
        Double effect,
        Double intervalLow,
        Double intervalHigh,
        Double intervalLevel,
        Long framesControl,
        Long framesTreatment,
        String verdict,
        String sentence,
        long createdAtMillis,
        Long startedAtMillis,
        Long endedAtMillis) {

    /** How many of the newest experiments are searched for the running ones and those that ended in a range. */
    static final int SCAN = 500;

    public static ExperimentRow of(Experiment e) {
        Estimate est = e.estimate();
        return new ExperimentRow(e.id(), e.recommendationId(), e.nodeId(), e.parameter(), e.control(), e.treatment(),
                TunableParameter.show(e.parameter(), e.control()) + " -> "
                        + TunableParameter.show(e.parameter(), e.treatment()),
                e.assignment().wire(), e.share(), e.blockMillis(), e.status().wire(),
                e.targetMetric() == null ? null : e.targetMetric().wire(),
                est == null ? null : est.effect(), est == null ? null : est.low(), est == null ? null : est.high(),
                est == null ? null : est.level(), est == null ? null : est.framesControl(),
                est == null ? null : est.framesTreatment(), e.verdict() == null ? null : e.verdict().wire(),
                e.sentence(), e.createdAtMs(), e.startedAtMs(), e.endedAtMs());
    }

    /** Newest first; {@code nodeId} null for every node. */
    public static List<ExperimentRow> list(ExperimentStore store, String nodeId, int limit) {
        return store.list(nodeId, limit).stream().map(ExperimentRow::of).toList();
    }

    /** The experiments not over yet, and those that ended (or failed to start) within {@code range}; newest first. */
    public static List<ExperimentRow> runningOrEndedIn(ExperimentStore store, TimeRange range) {
        return store.list(range.nodeId(), SCAN).stream()
                .filter(e -> !over(e) || (e.endedAtMs() != null && e.endedAtMs() >= range.fromMillis()
                        && e.endedAtMs() < range.toMillis()))
                .map(ExperimentRow::of).toList();
    }

    /** Ended or failed: nothing will change in it any more. */
    public boolean over() {
        return status.equals(ExperimentStatus.ENDED.wire()) || status.equals(ExperimentStatus.FAILED.wire());
    }

    private static boolean over(Experiment e) {
        return e.status() == ExperimentStatus.ENDED || e.status() == ExperimentStatus.FAILED;
    }
}
