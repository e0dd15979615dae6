package qp.gateway.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The gateway's one clock, a {@link java.time.Clock}: every place that reads time (frame stamps and latencies,
 * heartbeats, samples, experiments, the emitter's stall detection, ping) gets it injected, and tests inject one they
 * advance. {@link #system()} tells the time of day from the system's wall clock (NTP keeps it right, and other nodes
 * and Kafka share it: event times, switchback blocks, ping), and {@link #nanos} measures durations on
 * {@link System#nanoTime} when given it (monotonic: a latency never goes negative when NTP steps the wall clock). On
 * any other clock, {@link #nanos} reads the clock's instant, so a test's clock moves latencies and heartbeats too.
 */
public final class GatewayClock extends Clock {
    private static final GatewayClock SYSTEM = new GatewayClock();

    private GatewayClock() {
    }

    public static Clock system() {
        return SYSTEM;
    }

    /** Nanoseconds for measuring durations on {@code clock}: only the difference of two readings means anything. */
    public static long nanos(Clock clock) {
        if (clock == SYSTEM) {
            return System.nanoTime(); // monotonic, and no Instant on the frame path
        }
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
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
