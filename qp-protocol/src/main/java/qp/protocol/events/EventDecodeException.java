package qp.protocol.events;

/**
 * A Kafka value that is not a readable event: truncated, of an unknown major encoding version, malformed JSON, or
 * bytes that break the layout (a negative length, a union index that is not 0 or 1, invalid UTF-8, an unknown
 * direction). The message names the record, the encoding, the field and the byte offset, so a reader can send the
 * value to {@code qp.dlq} with it as the reason; it is never replaced by a guessed event.
 */
public final class EventDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventDecodeException(String message) {
        super(message);
    }

    public EventDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
