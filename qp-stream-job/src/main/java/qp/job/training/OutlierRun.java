package qp.job.training;

/**
 * Hysteresis of the traffic anomaly model, per node: a MODEL_OUTLIER is raised when {@link #RAISE_OF_LAST} windows
 * of the last {@link #LAST} score above the threshold (one odd window is noise, not an incident), once per incident;
 * the incident ends after {@link #CALM_WINDOWS} windows in a row at or below it.
 *
 * @param recentAbove bit i set: the window i windows ago was above the threshold (bit 0 = the newest)
 * @param open        an incident is open (already raised)
 * @param calm        windows in a row at or below the threshold while open
 */
public record OutlierRun(int recentAbove, boolean open, int calm) {
    static final int LAST = 3;
    static final int RAISE_OF_LAST = 2;
    static final int CALM_WINDOWS = 3;

    public static OutlierRun quiet() {
        return new OutlierRun(0, false, 0);
    }

    /** The run after one more window. */
    public OutlierRun next(boolean above) {
        int recent = ((recentAbove << 1) | (above ? 1 : 0)) & ((1 << LAST) - 1);
        if (!open) {
            return new OutlierRun(recent, Integer.bitCount(recent) >= RAISE_OF_LAST, 0);
        }
        int c = above ? 0 : calm + 1;
        return c >= CALM_WINDOWS ? new OutlierRun(recent, false, 0) : new OutlierRun(recent, true, c);
    }

    /** Whether going from {@code before} to this run raises an anomaly: an incident opened now. */
    public boolean raisedFrom(OutlierRun before) {
        return open && !before.open();
    }
}
