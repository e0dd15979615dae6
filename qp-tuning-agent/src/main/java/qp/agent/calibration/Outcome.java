package qp.agent.calibration;

/**
 * A recommendation whose change an experiment decided: the confidence it came with (raw, as sent) and whether the
 * experiment kept it.
 *
 * @param source     {@code rules} or {@code model}, as the recommendation said
 * @param confidence the recommendation's own confidence, 0..1
 * @param kept       the experiment's verdict was {@code kept} (the change was adopted on the whole node)
 * @param verdict    the verdict's wire name: kept, no_effect, harm, guard, timed_out
 */
public record Outcome(String recommendationId, String source, double confidence, boolean kept, String verdict,
        long endedAtMs) {
}
