package qp.job.io;

import java.io.Serializable;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/** Says what is wrong with a parsed record that the job cannot use, or null when it is usable. */
@FunctionalInterface
public interface RecordCheck<T> extends Serializable {
    String problem(T record);

    static RecordCheck<FrameEvent> frames() {
        return f -> {
            if (f.nodeId() == null || f.nodeId().isBlank()) {
                return "missing nodeId";
            }
            if (f.type() == null || f.type().isBlank()) {
                return "missing type";
            }
            if (f.direction() == null) {
                return "missing direction";
            }
            if (f.outcome() == null) {
                return "missing outcome";
            }
            if (f.eventTimeMillis() <= 0) {
                return "missing or non-positive eventTimeMillis";
            }
            if (f.latencyMicros() < 0 || f.wireBytes() < 0 || f.rawBytes() < 0) {
                return "negative latencyMicros, wireBytes or rawBytes";
            }
            return null;
        };
    }

    static RecordCheck<NodeMetrics> nodeMetrics() {
        return m -> {
            if (m.nodeId() == null || m.nodeId().isBlank()) {
                return "missing nodeId";
            }
            if (m.timestampMillis() <= 0) {
                return "missing or non-positive timestampMillis";
            }
            return null;
        };
    }

    static RecordCheck<qp.protocol.control.ControlCommand> control() {
        return c -> c.command() == null || c.command().isBlank() ? "missing command" : null;
    }
}
