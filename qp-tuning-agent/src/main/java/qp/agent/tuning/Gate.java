package qp.agent.tuning;

import java.util.Locale;

/** Why a recommendation was not applied: the {@code optimizations.gate} column. */
public enum Gate {
    CONFIDENCE, IMPROVEMENT, RANGE, COOLDOWN, MAX_STEP, IN_FLIGHT, ALREADY_TRIED, STALE, UNKNOWN_NODE, OPERATOR, OPPOSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Gate ofWire(String s) {
        return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
    }
}
