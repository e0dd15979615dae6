package qp.job.bigrams;

/**
 * The last frame put in order on a connection.
 *
 * @param lastType        its message type
 * @param lastEventMillis its event time
 * @param lastSeq         its sequence number
 * @param cleanupAtMillis the event-time timer that forgets the connection when it goes silent
 */
public record ConnectionState(String lastType, long lastEventMillis, long lastSeq, long cleanupAtMillis) {
}
