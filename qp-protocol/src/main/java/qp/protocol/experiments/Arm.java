package qp.protocol.experiments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two arms of an experiment: the value in force ({@code control}) and the proposed one ({@code treatment}). */
public enum Arm {
    CONTROL,
    TREATMENT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for null; an unknown name is an error that names it. */
    @JsonCreator
    public static Arm ofWire(String s) {
        if (s == null) {
            return null;
        }
        for (Arm a : values()) {
            if (a.wire().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("arm: \"" + s + "\" is neither \"control\" nor \"treatment\"");
    }
}
