package qp.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import qp.gateway.session.SessionTimers;

/**
 * The gateway's clock and session timers for a test: time moves only when the test advances it. {@link #advance} runs
 * every timer that falls due on the way, in order, each on its session's IO thread, and returns once they have run:
 * what a heartbeat sends or closes has been handed to the socket by then. Give it as both
 * ({@code config().clock(clock).timers(clock).timers(clock)}).
 */
public final class ManualClock extends Clock implements SessionTimers {
    /** Not 0: a zero receipt time would read as "no receipt". */
    private static final long START_NANOS = 1_000_000_000_000L;
    private static final long START_MILLIS = 1_796_000_000_000L;

    private record Task(long dueNanos, long order, XnioExecutor thread, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long nanos = START_NANOS;
    private long scheduled;

    @Override
    public synchronized Instant instant() {
        return Instant.ofEpochMilli(START_MILLIS).plusNanos(nanos - START_NANOS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test's clock is UTC");
    }

    @Override
    public synchronized XnioExecutor.Key schedule(XnioExecutor thread, Runnable task, long delayNanos) {
        Task t = new Task(nanos + delayNanos, scheduled++, thread, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualClock.this) {
                return tasks.remove(t);
            }
        };
    }

    /** Timers waiting to fall due. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Timers ever scheduled: grows when a session arms or re-arms its heartbeat. */
    public synchronized long scheduledTotal() {
        return scheduled;
    }

    /** Moves time forward by {@code d}, running the timers that fall due on the way; returns once they have run. */
    public void advance(Duration d) throws InterruptedException {
        long target;
        synchronized (this) {
            target = nanos + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueNanos() > target) {
                    nanos = target;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, next.dueNanos());
            }
            CountDownLatch ran = new CountDownLatch(1);
            next.thread().execute(() -> {
                try {
                    next.run().run();
                } finally {
                    ran.countDown();
                }
            });
            if (!ran.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a session timer did not run on its IO thread within 30 s");
            }
        }
    }
}
