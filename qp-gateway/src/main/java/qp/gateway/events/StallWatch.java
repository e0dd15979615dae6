package qp.gateway.events;

/**
 * Judges the age of the oldest unacknowledged record. Overdue ({@code kafkaStallTimeout}) only sends newer events
 * to the spool and asks a probe: a slow broker is not aborted, which would duplicate what it wrote without
 * answering yet. Past the abort limit (half of {@code delivery.timeout.ms}) it is aborted even while it answers,
 * because the producer would soon expire batches on its own, one by one, and a later batch of a partition could
 * then be written after an earlier one failed; an abort fails them all at once.
 */
final class StallWatch {
    enum Verdict { ON_TIME, OVERDUE, ABORT }

    private final long stallNanos;
    private final long abortNanos;

    StallWatch(long stallNanos, long deliveryTimeoutNanos) {
        this.stallNanos = stallNanos;
        this.abortNanos = Math.max(stallNanos, deliveryTimeoutNanos / 2);
    }

    Verdict judge(InFlight oldest, long nowNanos) {
        if (oldest == null || oldest.state() != InFlight.PENDING) {
            return Verdict.ON_TIME;
        }
        long waited = nowNanos - oldest.sentNanos;
        if (waited <= stallNanos) {
            return Verdict.ON_TIME;
        }
        return waited > abortNanos ? Verdict.ABORT : Verdict.OVERDUE;
    }

    long stallMillis() {
        return stallNanos / 1_000_000;
    }

    long abortMillis() {
        return abortNanos / 1_000_000;
    }
}
