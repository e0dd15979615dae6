package qp.job.anomaly;

/**
 * What the single-frame detector keeps per node/type besides its open blocks ({@link OpenBlock}).
 *
 * @param logLatency      EWMA baseline of ln(latency micros) of the key's frames (in the job: of its windows' median
 *                        latencies, each counted once per latency sample): the typical frame, for the report and the
 *                        warm-up
 * @param slowest         ln(latency) of the slowest frame of each of the key's last closed blocks
 * @param incident        hysteresis: one report per incident, which ends after calm blocks
 * @param incidentBlock   start of the block of the frame that opened the incident: only blocks from there on can
 *                        end it (blocks before it may close later, when another partition was behind)
 * @param heldBack        spikes held back by an open incident since the last report
 * @param cleanupAtMillis the event-time timer that drops this state when the key goes silent
 */
public record FrameBaselineState(EwmaBaseline logLatency, BlockMaxima slowest, IncidentState incident,
        long incidentBlock, long heldBack, long cleanupAtMillis) {

    public static FrameBaselineState initial() {
        return new FrameBaselineState(EwmaBaseline.empty(), BlockMaxima.empty(), IncidentState.CLOSED, Long.MIN_VALUE, 0,
                Long.MIN_VALUE);
    }
}
