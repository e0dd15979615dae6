package qp.agent.experiments;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where an experiment is in its life: the {@code experiments.status} column. Each step is recorded before the
 * request that makes it happen, so a restart finds out from the gateway whether the request landed; the transitions
 * are all here, in {@link #canMoveTo}.
 */
public enum ExperimentStatus {
    /** Recorded; the gateway may or may not have it yet (POST /experiment sent or about to be). */
    STARTING,
    /** The gateway runs it; windows are being judged. */
    RUNNING,
    /** The verdict is recorded; the gateway may or may not have ended it yet (DELETE sent or about to be). */
    ENDING,
    /** The gateway ended it (adopted or back on control). */
    ENDED,
    /** It never started (the gateway refused it, or its parameters moved meanwhile). */
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExperimentStatus ofWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public boolean canMoveTo(ExperimentStatus next) {
        return allowedNext().contains(next);
    }

    private Set<ExperimentStatus> allowedNext() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(ENDING);
            case ENDING -> EnumSet.of(ENDED);
            case ENDED, FAILED -> EnumSet.noneOf(ExperimentStatus.class);
        };
    }
}
