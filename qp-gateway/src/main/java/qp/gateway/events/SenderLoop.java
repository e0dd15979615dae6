package qp.gateway.events;

import java.util.concurrent.locks.LockSupport;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.time.GatewayClock;

/**
 * The emitter's one background thread: steps the {@link EmitterSender} with the time of a monotonic source,
 * resting {@value #IDLE_PARK_MILLIS} ms when a step found nothing to do; on stop, gives it {@code closeTimeout} to
 * hand what is in memory to Kafka (or to the spool when Kafka is away: one probe decides). A monotonic source, not a wall clock: stall and
 * probe timing must not jump when the system time is set.
 */
final class SenderLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SenderLoop.class);
    /**
     * Each rest is a futex wait and a wake-up, ~10 µs of CPU on a busy machine: at 1 ms they were 1.2-2.7% of the
     * gateway's CPU under the benchmark. Events wait for the producer's linger (25 ms) anyway.
     */
    static final long IDLE_PARK_MILLIS = 5;
    private static final long IDLE_PARK_NANOS = IDLE_PARK_MILLIS * 1_000_000;

    private final EmitterSender sender;
    private final Clock clock;
    private final long closeTimeoutNanos;
    private volatile boolean stopping;

    SenderLoop(EmitterSender sender, Clock clock, long closeTimeoutNanos) {
        this.sender = sender;
        this.clock = clock;
        this.closeTimeoutNanos = closeTimeoutNanos;
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                stepOrRest();
            }
            long deadline = GatewayClock.nanos(clock) + closeTimeoutNanos;
            long noAnswersAtClose = sender.beginClose(GatewayClock.nanos(clock));
            while (GatewayClock.nanos(clock) - deadline < 0 && !sender.closeSettled(noAnswersAtClose)) {
                stepOrRest();
            }
            sender.endClose(GatewayClock.nanos(clock));
        } finally {
            sender.release();
        }
    }

    private void stepOrRest() {
        try {
            if (!sender.step(GatewayClock.nanos(clock))) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        } catch (RuntimeException e) {
            LOG.error("event sender: unexpected error, carrying on", e);
            LockSupport.parkNanos(100_000_000);
        }
    }
}
