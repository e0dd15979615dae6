package qp.gateway.session;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import qp.protocol.events.FrameEvent;
import qp.protocol.frame.MessageType;

/**
 * A session's side of PROTOCOL.md's heartbeat: a HEARTBEAT after heartbeat_interval of client silence, close 1001
 * once it has gone unanswered. One timer per session on its IO thread, re-armed from the last traffic rather than
 * on every frame, so traffic costs two field writes.
 */
final class HeartbeatTimer {
    private final Session s;
    private final Runnable check = this::check;
    private long lastInNanos = System.nanoTime();
    private boolean sent;
    private long sentNanos;
    private XnioExecutor.Key key;

    HeartbeatTimer(Session s) {
        this.s = s;
    }

    /** Something came from the client. */
    void traffic(long nanos) {
        lastInNanos = nanos;
        sent = false;
    }

    void start() {
        arm();
    }

    /** heartbeat_interval changed: the new value counts from now on. */
    void rearm() {
        if (s.closing || !s.channel.isOpen()) {
            return;
        }
        cancel();
        arm();
    }

    void cancel() {
        if (key != null) {
            key.remove();
            key = null;
        }
    }

    private long intervalNanos() {
        return TimeUnit.MILLISECONDS.toNanos(s.services.params().params().heartbeatIntervalMs());
    }

    private void arm() {
        long interval = intervalNanos();
        long due = sent ? Math.max(lastInNanos + 2 * interval, sentNanos + interval) : lastInNanos + interval;
        long delayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), due - System.nanoTime());
        key = s.channel.getIoThread().executeAfter(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A session is closed only after the server's HEARTBEAT went unanswered for an interval and the client has been
     * silent for twice the interval: a shorter heartbeat_interval set at run time warns before it closes anyone.
     */
    private void check() {
        key = null;
        if (s.closing || !s.channel.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long interval = intervalNanos();
        long silentNanos = now - lastInNanos;
        if (!sent) {
            if (silentNanos >= interval) {
                sent = true;
                sentNanos = now;
                s.readParams = s.services.params().current();
                s.writer.send(MessageType.HEARTBEAT, new byte[0], null, 0, FrameEvent.OK);
            }
        } else if (silentNanos >= 2 * interval && now - sentNanos >= interval) {
            s.services.metrics().heartbeatTimeout();
            s.closeWith(1001, "heartbeat timeout");
            return;
        }
        arm();
    }
}
