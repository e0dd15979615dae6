package qp.protocol.experiments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How an experiment's units get their arm. A parameter that each session reads for itself is randomized per
 * session; one that only exists for the node as a whole (a connection limit) alternates the whole node in blocks.
 */
public enum Assignment {
    /** Each session by a stable hash of (experiment id, session id); a share of them gets the treatment. */
    SESSION,
    /** The whole node alternates between the arms in blocks, in random order within each pair of blocks. */
    SWITCHBACK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Assignment ofWire(String s) {
        for (Assignment a : values()) {
            if (a.wire().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("assignment: \"" + s + "\" is neither \"session\" nor \"switchback\"");
    }
}
