package qp.agent.tuning;

import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/** The decision line every step leaves: {@code node edge-1 | compression_threshold off -> 1024 B | ... | kept}. */
final class Sentences {
    private Sentences() {
    }

    static String line(Optimization o, String tail) {
        return "node " + o.nodeId() + " | " + o.parameter() + " " + show(o.parameter(), o.recommendation().currentValue())
                + " -> " + show(o.parameter(), o.recommendation().proposedValue()) + " | " + tail;
    }

    static String show(String parameter, long value) {
        TunableParameter p = TunableParameter.byWireName(parameter);
        if (p == null) {
            return Long.toString(value);
        }
        if (p.allowsOff() && value == TunableParams.OFF) {
            return "off";
        }
        return value + switch (p.unit()) {
            case "bytes" -> " B";
            case "ms" -> " ms";
            default -> "";
        };
    }
}
