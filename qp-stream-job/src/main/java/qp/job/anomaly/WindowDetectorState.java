package qp.job.anomaly;

/**
 * What a window detector keeps per key.
 *
 * @param baseline          the key's recent values
 * @param incident          hysteresis
 * @param lastWindowEnd     end of the last window judged; a window firing again for late data is not judged twice
 * @param cleanupAtMillis   the event-time timer that drops this state when the key goes silent
 */
public record WindowDetectorState(EwmaBaseline baseline, IncidentState incident, long lastWindowEnd,
        long cleanupAtMillis) {

    public static WindowDetectorState initial() {
        return new WindowDetectorState(EwmaBaseline.empty(), IncidentState.CLOSED, Long.MIN_VALUE, Long.MIN_VALUE);
    }
}
