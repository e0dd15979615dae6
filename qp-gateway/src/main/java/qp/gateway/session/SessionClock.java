package qp.gateway.session;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The time of a session: what it stamps frames with, and what runs its heartbeat and its close grace period. The
 * gateway uses {@link #SYSTEM}; tests inject a clock they advance, so heartbeats are tested with PROTOCOL.md's real
 * intervals without waiting for them.
 */
public interface SessionClock {
    /** Monotonic nanoseconds, for latencies and silences. */
    long nanoTime();

    /** Wall time, for event timestamps. */
    long epochMillis();

    /** Runs {@code task} on {@code thread} (a session's IO thread) after {@code delayNanos}; the key cancels it. */
    XnioExecutor.Key schedule(XnioExecutor thread, Runnable task, long delayNanos);

    SessionClock SYSTEM = new SessionClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public XnioExecutor.Key schedule(XnioExecutor thread, Runnable task, long delayNanos) {
            return thread.executeAfter(task, delayNanos, TimeUnit.NANOSECONDS);
        }
    };
}
