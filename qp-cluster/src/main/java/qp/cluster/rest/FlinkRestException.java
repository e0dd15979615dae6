package qp.cluster.rest;

/** A request to the Flink cluster failed; the message says what, against which address, and what to try. */
public final class FlinkRestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlinkRestException(String message) {
        super(message);
    }

    public FlinkRestException(String message, Throwable cause) {
        super(message, cause);
    }
}
