package qp.agent.store;

/** The store cannot be used: the message is one line a user can act on (which file, what is wrong, what to do). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
