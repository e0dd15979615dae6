package qp.gateway.session;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import qp.gateway.experiments.SessionArm;
import qp.gateway.time.GatewayClock;

/**
 * A session's side of PROTOCOL.md's heartbeat: a HEARTBEAT after heartbeat_interval (the session's own: its arm's
 * under an experiment) of client silence, close 1001 once it has gone unanswered. One timer per session on its IO
 * thread, re-armed from the last traffic rather than on every frame, so traffic costs two field writes. Time comes
 * from the session's clock, its timers on {@link SessionTimers}.
 */
final class HeartbeatTimer {
    private final Clock clock;
    private final SessionTimers timers;
    private final XnioExecutor ioThread;
    private final SessionArm arm;
    /** Silence reached the interval: send a HEARTBEAT. */
    private final Runnable heartbeatDue;
    /** The HEARTBEAT went unanswered: close the session (1001). */
    private final Runnable timedOut;
    private final Runnable check = this::check;
    private long lastInNanos;
    private boolean sent;
    private long sentNanos;
    private boolean stopped;
    private XnioExecutor.Key key;

    HeartbeatTimer(Clock clock, SessionTimers timers, XnioExecutor ioThread, SessionArm arm, Runnable heartbeatDue,
            Runnable timedOut) {
        this.clock = clock;
        this.timers = timers;
        this.ioThread = ioThread;
        this.arm = arm;
        this.heartbeatDue = heartbeatDue;
        this.timedOut = timedOut;
        this.lastInNanos = GatewayClock.nanos(clock);
    }

    /** Something came from the client. */
    void traffic(long nanos) {
        lastInNanos = nanos;
        sent = false;
    }

    void start() {
        arm();
    }

    /** The session's heartbeat_interval may have changed: the new value counts from now on. */
    void rearm() {
        if (stopped) {
            return;
        }
        cancel();
        arm();
    }

    /** The session is closing or closed: no more heartbeats. */
    void stop() {
        stopped = true;
        cancel();
    }

    private void cancel() {
        if (key != null) {
            key.remove();
            key = null;
        }
    }

    private long intervalNanos() {
        return TimeUnit.MILLISECONDS.toNanos(arm.current().params().heartbeatIntervalMs());
    }

    private void arm() {
        long interval = intervalNanos();
        long due = sent ? Math.max(lastInNanos + 2 * interval, sentNanos + interval) : lastInNanos + interval;
        long delayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), due - GatewayClock.nanos(clock));
        key = timers.schedule(ioThread, check, delayNanos);
    }

    /**
     * A session is closed only after the server's HEARTBEAT went unanswered for an interval and the client has been
     * silent for twice the interval: a shorter heartbeat_interval set at run time warns before it closes anyone.
     */
    private void check() {
        key = null;
        if (stopped) {
            return;
        }
        long now = GatewayClock.nanos(clock);
        long interval = intervalNanos();
        long silentNanos = now - lastInNanos;
        if (!sent) {
            if (silentNanos >= interval) {
                sent = true;
                sentNanos = now;
                heartbeatDue.run();
            }
        } else if (silentNanos >= 2 * interval && now - sentNanos >= interval) {
            timedOut.run();
            return;
        }
        if (!stopped) {
            arm();
        }
    }
}
