package qp.gateway.session;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Where a session's timers run: its heartbeat and its close grace period, on the session's IO thread. The gateway
 * uses {@link #IO_THREAD}; tests inject the clock they advance (it runs the timers that fall due), so heartbeats are
 * tested with PROTOCOL.md's real intervals without waiting for them. Time itself is the injected {@link java.time.Clock}.
 */
public interface SessionTimers {
    /** Runs {@code task} on {@code thread} (a session's IO thread) after {@code delayNanos}; the key cancels it. */
    XnioExecutor.Key schedule(XnioExecutor thread, Runnable task, long delayNanos);

    SessionTimers IO_THREAD = (thread, task, delayNanos) -> thread.executeAfter(task, delayNanos, TimeUnit.NANOSECONDS);
}
