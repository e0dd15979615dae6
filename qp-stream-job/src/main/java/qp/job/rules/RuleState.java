package qp.job.rules;

import java.util.Map;

/**
 * What the rules remember per node.
 *
 * @param streaks        per rule name, consecutive windows it held (absent = 0)
 * @param lastProposedAt per rule name, event time of its last recommendation (for the cool-down)
 * @param lastWindowEnd  end of the last window evaluated
 */
public record RuleState(Map<String, Integer> streaks, Map<String, Long> lastProposedAt, long lastWindowEnd) {
}
