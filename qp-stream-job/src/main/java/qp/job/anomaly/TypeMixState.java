package qp.job.anomaly;

import java.util.Map;

/**
 * What the type-mix detector keeps per node.
 *
 * @param mix             the baseline share of each message type (EWMA of the windows' shares)
 * @param distance        EWMA of the windows' distances from that baseline
 * @param incident        hysteresis
 * @param lastWindowEnd   end of the last window judged
 * @param cleanupAtMillis the event-time timer that drops this state when the node goes silent
 */
public record TypeMixState(Map<String, Double> mix, EwmaBaseline distance, IncidentState incident,
        long lastWindowEnd, long cleanupAtMillis) {
}
