package qp.agent.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Moves a record's value in time: the top-level time fields of QP's topic records (frame events, node samples, window
 * stats, anomalies, bigrams, recommendations, models, control commands) shift by the same delta as the record.
 */
public final class TimeShift {
    public static final List<String> TIME_FIELDS = List.of("eventTimeMillis", "timestampMillis", "windowStartMillis",
            "windowEndMillis", "createdAtMillis", "trainedAtMillis", "requestedAtMillis");

    private TimeShift() {
    }

    /** A copy of {@code value} with every time field moved by {@code deltaMillis}; the value itself is not changed. */
    public static JsonNode shift(JsonNode value, long deltaMillis) {
        if (deltaMillis == 0 || !value.isObject()) {
            return value;
        }
        ObjectNode copy = ((ObjectNode) value).deepCopy();
        for (String f : TIME_FIELDS) {
            JsonNode v = copy.get(f);
            if (v != null && v.isIntegralNumber() && v.asLong() > 0) {
                copy.put(f, v.asLong() + deltaMillis);
            }
        }
        return copy;
    }
}
