package qp.protocol.analytics;

/** What an {@link Anomaly} is about. */
public enum AnomalyKind {
    /** a window's p95 latency above mean + kσ of that node/type's recent windows */
    LATENCY_SPIKE,
    /** a single frame's latency above mean + kσ of that node/type's recent frames (log scale) */
    FRAME_LATENCY_SPIKE,
    /** a window's error rate far above the node's recent error rate */
    ERROR_BURST,
    /** a window's message-type mix far from the node's baseline mix (total-variation distance) */
    TYPE_MIX_SHIFT,
    /** found by a trained model rather than by a rule */
    MODEL_OUTLIER
}
