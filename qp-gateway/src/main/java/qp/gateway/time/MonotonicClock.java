package qp.gateway.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The gateway's one clock, a {@link java.time.Clock}: every place that reads time (frame stamps and latencies,
 * heartbeats, samples, experiments, the emitter's stall detection, ping) gets it injected, and tests inject one they
 * advance. {@link #system()} is wall time anchored once and then moved by {@link System#nanoTime}: it never steps
 * backwards (latencies stay positive when NTP steps the wall clock) and it has nanosecond resolution; it follows the
 * wall clock's rate, since Linux slews the monotonic clock with NTP too.
 */
public final class MonotonicClock extends Clock {
    private static final MonotonicClock SYSTEM = new MonotonicClock(System.currentTimeMillis(), System.nanoTime());

    private final long originMillis;
    private final long originNanos;

    private MonotonicClock(long originMillis, long originNanos) {
        this.originMillis = originMillis;
        this.originNanos = originNanos;
    }

    public static Clock system() {
        return SYSTEM;
    }

    /** Nanoseconds since the epoch on {@code clock}: the difference of two readings is a duration. */
    public static long nanos(Clock clock) {
        if (clock instanceof MonotonicClock m) {
            return m.epochNanos(); // no Instant on the frame path
        }
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private long epochNanos() {
        return originMillis * 1_000_000L + (System.nanoTime() - originNanos);
    }

    @Override
    public long millis() {
        return Math.floorDiv(epochNanos(), 1_000_000L);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(0, epochNanos());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("the gateway's clock is UTC");
    }
}
