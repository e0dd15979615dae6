package qp.job.anomaly;

/**
 * Hysteresis of one key: an incident opens on an anomalous window and raises one anomaly; it closes only after
 * {@code calmWindows} calm windows in a row (below the lower exit threshold). Windows between the exit and the entry
 * threshold keep it open.
 *
 * @param open       whether an incident is going on
 * @param calmStreak calm windows in a row while open
 */
public record IncidentState(boolean open, int calmStreak) {
    public static final IncidentState CLOSED = new IncidentState(false, 0);

    /** Only the first anomalous window of an incident raises an anomaly. */
    public boolean raises(boolean anomalous) {
        return anomalous && !open;
    }

    public IncidentState next(boolean anomalous, boolean calm, int calmWindows) {
        if (anomalous) {
            return new IncidentState(true, 0);
        }
        if (!open) {
            return CLOSED;
        }
        if (!calm) {
            return new IncidentState(true, 0);
        }
        int streak = calmStreak + 1;
        return streak >= calmWindows ? CLOSED : new IncidentState(true, streak);
    }
}
