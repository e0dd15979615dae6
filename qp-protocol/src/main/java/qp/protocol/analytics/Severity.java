package qp.protocol.analytics;

/** How far outside the baseline an anomaly is. */
public enum Severity {
    /** past the threshold */
    WARNING,
    /** past twice the threshold */
    CRITICAL
}
