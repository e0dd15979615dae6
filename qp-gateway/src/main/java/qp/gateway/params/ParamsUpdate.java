package qp.gateway.params;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * Reads a partial update of the tunable parameters from JSON ({@code {"buffer_size": 16384, "compression_threshold": "off"}})
 * and validates every field against its range. The update is all or nothing: the first bad field rejects it whole.
 */
public final class ParamsUpdate {
    /** A rejected update: the field at fault (null when the body as a whole is wrong) and why. */
    public static final class Rejected extends Exception {
        private final String field;

        public Rejected(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private ParamsUpdate() {
    }

    public static Map<TunableParameter, Long> parse(JsonNode body) throws Rejected {
        if (body == null || !body.isObject()) {
            throw new Rejected(null, "the body must be a JSON object of parameter names to values, e.g. {\"buffer_size\": 16384}");
        }
        Map<TunableParameter, Long> changes = new EnumMap<>(TunableParameter.class);
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            TunableParameter p = TunableParameter.byWireName(f.getKey());
            if (p == null) {
                throw new Rejected(f.getKey(), f.getKey() + ": unknown parameter; known: " + knownNames());
            }
            changes.put(p, value(p, f.getValue()));
        }
        return changes;
    }

    /** One value: an integer in range, or "off" where the parameter allows it. */
    public static long value(TunableParameter p, JsonNode v) throws Rejected {
        long value;
        if (v.isTextual() && p.allowsOff() && "off".equalsIgnoreCase(v.asText())) {
            value = TunableParams.OFF;
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.asLong();
        } else if (v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
            value = Long.parseLong(v.asText()); // properties files carry numbers as text
        } else {
            throw new Rejected(p.wireName(), p.wireName() + ": " + v + " is not an integer"
                    + (p.allowsOff() ? " or \"off\"" : "") + " (" + p.unit() + ", " + p.min() + ".." + p.max() + ")");
        }
        String problem = p.validate(value);
        if (problem != null) {
            throw new Rejected(p.wireName(), problem);
        }
        return value;
    }

    private static String knownNames() {
        StringBuilder sb = new StringBuilder();
        for (TunableParameter p : TunableParameter.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.wireName());
        }
        return sb.toString();
    }
}
