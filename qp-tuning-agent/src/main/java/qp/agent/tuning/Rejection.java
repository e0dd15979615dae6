package qp.agent.tuning;

/** A gate that stopped a recommendation, and the sentence that says why. */
public record Rejection(Gate gate, String reason) {
}
