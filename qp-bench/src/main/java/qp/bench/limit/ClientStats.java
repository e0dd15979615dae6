package qp.bench.limit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the virtual users record, shared: the round trip of each successful reply (an HdrHistogram {@link Recorder},
 * written by many threads without locks and read as intervals), and counters of replies, refusals, errors and
 * sessions. {@link #take()} hands out what happened since the previous take.
 */
public final class ClientStats {
    private final Recorder roundTripNanos = new Recorder(3);
    private final LongAdder replies = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final AtomicInteger admittedNow = new AtomicInteger();
    private final AtomicInteger maxAdmitted = new AtomicInteger();
    private Counts last = new Counts(0, 0, 0, 0, 0);
    private long lastNanos = System.nanoTime();

    void reply(long roundTripNanos) {
        this.roundTripNanos.recordValue(Math.max(0, roundTripNanos));
        replies.increment();
    }

    void refused() {
        refusals.increment();
    }

    void error() {
        errors.increment();
    }

    void connectFailed() {
        connectFailures.increment();
    }

    /** A session was admitted (its AUTH answered, or its first reply came): it counts as open until {@link #closing()}. */
    void admitted() {
        sessions.increment();
        maxAdmitted.accumulateAndGet(admittedNow.incrementAndGet(), Math::max);
    }

    /** An admitted session is being closed (before the close is sent, so never counted longer than the gateway does). */
    void closing() {
        admittedNow.decrementAndGet();
    }

    /** The most sessions this side held admitted at once since the start. */
    public int maxAdmittedAtOnce() {
        return maxAdmitted.get();
    }

    /** Everything since the previous call (or the start). */
    public synchronized Interval take() {
        long now = System.nanoTime();
        Counts c = new Counts(replies.sum(), refusals.sum(), errors.sum(), sessions.sum(), connectFailures.sum());
        Interval i = new Interval(roundTripNanos.getIntervalHistogram(), c.minus(last), (now - lastNanos) / 1e9);
        last = c;
        lastNanos = now;
        return i;
    }

    /** Counts at one moment, or between two. */
    public record Counts(long replies, long refusals, long errors, long sessions, long connectFailures) {
        Counts minus(Counts before) {
            return new Counts(replies - before.replies, refusals - before.refusals, errors - before.errors,
                    sessions - before.sessions, connectFailures - before.connectFailures);
        }

        Counts plus(Counts other) {
            return new Counts(replies + other.replies, refusals + other.refusals, errors + other.errors,
                    sessions + other.sessions, connectFailures + other.connectFailures);
        }
    }

    /** What happened over {@code seconds}: the round trips of the successful replies and the counts. */
    public record Interval(Histogram roundTrips, Counts counts, double seconds) {
        /** The 99th percentile of the round trips in ms, NaN when there was no reply. */
        public double p99Millis() {
            return roundTrips.getTotalCount() == 0 ? Double.NaN : roundTrips.getValueAtPercentile(99.0) / 1e6;
        }

        public double repliesPerSecond() {
            return seconds <= 0 ? 0 : counts.replies() / seconds;
        }

        public double refusalsPerSecond() {
            return seconds <= 0 ? 0 : counts.refusals() / seconds;
        }

        /** This interval followed by {@code next}, as one. */
        public Interval plus(Interval next) {
            Histogram h = roundTrips.copy();
            h.add(next.roundTrips);
            return new Interval(h, counts.plus(next.counts), seconds + next.seconds);
        }

        public static Interval empty() {
            return new Interval(new Histogram(3), new Counts(0, 0, 0, 0, 0), 0);
        }
    }
}
