package qp.agent.tuning;

import java.util.Optional;

/**
 * One gate's answer about one recommendation, with the sentence that says why either way (the loop keeps only the
 * first failing one, as a {@link Rejection}; {@code bin/qp optimize} shows them all).
 */
public record GateResult(Gate gate, boolean passes, String why) {
    static GateResult pass(Gate gate, String why) {
        return new GateResult(gate, true, why);
    }

    static GateResult fail(Gate gate, String why) {
        return new GateResult(gate, false, why);
    }

    static GateResult of(Gate gate, boolean passes, String why) {
        return new GateResult(gate, passes, why);
    }

    public Optional<Rejection> rejection() {
        return passes ? Optional.empty() : Optional.of(new Rejection(gate, why));
    }
}
