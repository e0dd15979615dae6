package qp.agent.replay;

/** Export or replay cannot go on: the message is one line a user can act on. */
public final class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
