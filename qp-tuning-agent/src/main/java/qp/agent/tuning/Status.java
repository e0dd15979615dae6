package qp.agent.tuning;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What became of a recommendation: the {@code optimizations.status} column. The transitions are all here, in
 * {@link #canMoveTo}; nothing else decides which step may follow which.
 */
public enum Status {
    /** Seen, not decided yet (or waiting for its gateway to answer). */
    PENDING,
    /** Passed the gates in advise mode: recorded, not applied. */
    ADVISED,
    /** Passed the gates in a dry run: recorded, not applied. */
    DRY_RUN,
    /** Stopped by a gate (or by an operator); {@code gate} says which. */
    REJECTED,
    /** The intent is recorded; the PUT may or may not have reached the gateway yet. */
    APPLYING,
    /** The gateway confirmed the new value; verification waits for windows after it. */
    APPLIED,
    /** The windows after the change met its expectation: kept. */
    VERIFIED,
    /** The previous value is back (the change made things worse, or an operator asked). */
    ROLLED_BACK,
    /** Could not be applied (the gateway refused it, or its parameters moved meanwhile). */
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status ofWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** A change in flight on its node: nothing else is applied there until it is verified or rolled back. */
    public boolean inFlight() {
        return this == APPLYING || this == APPLIED;
    }

    public boolean canMoveTo(Status next) {
        return allowedNext().contains(next);
    }

    private Set<Status> allowedNext() {
        return switch (this) {
            case PENDING -> EnumSet.of(ADVISED, DRY_RUN, REJECTED, APPLYING, FAILED);
            // an operator may apply what the agent only advised, ran dry or rejected; or reject what it advised
            case ADVISED, DRY_RUN -> EnumSet.of(APPLYING, REJECTED);
            case REJECTED -> EnumSet.of(APPLYING);
            case APPLYING -> EnumSet.of(APPLIED, FAILED);
            case APPLIED -> EnumSet.of(VERIFIED, ROLLED_BACK);
            case VERIFIED -> EnumSet.of(ROLLED_BACK);
            case ROLLED_BACK, FAILED -> EnumSet.noneOf(Status.class);
        };
    }
}
