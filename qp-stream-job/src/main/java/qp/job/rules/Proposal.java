package qp.job.rules;

/**
 * What a rule proposes for one window.
 *
 * @param proposedValue       the new value, inside the parameter's range
 * @param expectedImprovement the rule's estimate of the relative improvement of {@code targetMetric}, 0..1
 * @param targetMetric        what should improve
 * @param evidence            the numbers that made the rule speak
 */
public record Proposal(long proposedValue, double expectedImprovement, String targetMetric, String evidence) {
}
