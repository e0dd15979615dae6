package qp.agent.calibration;

import java.util.List;

/**
 * The outcomes read back from the store. An experiment stopped (by an operator, or because the gateway no longer ran
 * it) or one that never started says nothing about the confidence, so it is counted apart and left out.
 */
public interface OutcomeStore {
    /** Every decided outcome, oldest first, at most one per recommendation (its latest experiment). */
    Outcomes decided();

    /**
     * @param decided        the outcomes, oldest first
     * @param stopped        experiments that ended {@code stopped}: left out
     * @param failedToStart  experiments that never started: left out
     */
    record Outcomes(List<Outcome> decided, int stopped, int failedToStart) {
    }
}
