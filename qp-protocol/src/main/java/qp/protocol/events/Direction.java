package qp.protocol.events;

/** Whether a frame came in from the client or went out to it. */
public enum Direction {
    IN,
    OUT
}
