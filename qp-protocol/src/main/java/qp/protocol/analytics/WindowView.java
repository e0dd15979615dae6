package qp.protocol.analytics;

/** Which window produced a {@link WindowStats} row: the tumbling windows detectors read, or the optional sliding view. */
public enum WindowView {
    TUMBLING,
    SLIDING
}
