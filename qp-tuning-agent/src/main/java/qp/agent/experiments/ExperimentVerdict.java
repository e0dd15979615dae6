package qp.agent.experiments;

import java.util.Locale;

/** How an experiment ended: the {@code experiments.verdict} column. */
public enum ExperimentVerdict {
    /** The interval lies above the minimum improvement: the treatment is adopted on the whole node. */
    KEPT,
    /** At its end the interval neither showed the minimum improvement nor harm: everyone back on control. */
    NO_EFFECT,
    /** The interval lies wholly on the harmful side: everyone back on control. */
    HARM,
    /** A guard broke in the treatment arm: stopped at once, everyone back on control. */
    GUARD,
    /** The maximum duration passed without enough data in both arms for an interval: back on control. */
    TIMED_OUT,
    /** An operator ended it: back on control. */
    STOPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExperimentVerdict ofWire(String s) {
        return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** A verdict that says the change did not help: a repeat of it is rejected as already tried. */
    public boolean failed() {
        return this == NO_EFFECT || this == HARM || this == GUARD;
    }

    /** The treatment becomes the node's value. */
    public boolean adopts() {
        return this == KEPT;
    }
}
