package qp.job.anomaly;

/**
 * What the single-frame detector keeps per node/type.
 *
 * @param logLatency         EWMA baseline of ln(latency micros) of the key's frames
 * @param cooldownUntilMillis frames of this key are not reported again before this event time
 * @param heldBack           spikes held back by the cool-down since the last report
 * @param cleanupAtMillis    the event-time timer that drops this state when the key goes silent
 */
public record FrameBaselineState(EwmaBaseline logLatency, long cooldownUntilMillis, long heldBack,
        long cleanupAtMillis) {
}
