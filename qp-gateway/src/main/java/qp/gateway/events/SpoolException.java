package qp.gateway.events;

/** The spool could not be read or written (a disk error); the message says which spool and why. */
final class SpoolException extends Exception {
    SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
