package qp.job.bigrams;

/**
 * A connection of the sequencer: the last frame put in order and its two timers.
 *
 * @param lastType             message type of the last frame put in order (null before the first)
 * @param lastEventMillis      its event time
 * @param lastSeq              its sequence number
 * @param cleanupAtMillis      the clean-up timer: when it fires, a connection silent since lastEventMillis for the
 *                             idle time is forgotten (Long.MIN_VALUE: not set yet)
 * @param nextFrameTimerMillis the timer at the earliest waiting frame (Long.MAX_VALUE: no frame waits)
 * @param pendingFrames        how many frames wait in the pending list (bounded by the sequencer's maximum)
 */
public record ConnectionState(String lastType, long lastEventMillis, long lastSeq, long cleanupAtMillis,
        long nextFrameTimerMillis, int pendingFrames) {

    static ConnectionState first(long frameTimerMillis) {
        return new ConnectionState(null, Long.MIN_VALUE, -1, Long.MIN_VALUE, frameTimerMillis, 0);
    }

    ConnectionState withNextFrameTimer(long millis) {
        return new ConnectionState(lastType, lastEventMillis, lastSeq, cleanupAtMillis, millis, pendingFrames);
    }

    ConnectionState withCleanupAt(long millis) {
        return new ConnectionState(lastType, lastEventMillis, lastSeq, millis, nextFrameTimerMillis, pendingFrames);
    }

    ConnectionState withLast(String type, long eventMillis, long seq) {
        return new ConnectionState(type, eventMillis, seq, cleanupAtMillis, nextFrameTimerMillis, pendingFrames);
    }

    ConnectionState withPending(int n) {
        return new ConnectionState(lastType, lastEventMillis, lastSeq, cleanupAtMillis, nextFrameTimerMillis, n);
    }
}
