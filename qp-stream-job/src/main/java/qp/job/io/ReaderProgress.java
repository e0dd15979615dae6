package qp.job.io;

import java.io.Serializable;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.clock.RelativeClock;

/**
 * What one source reader has proven about its input, shared by the reader ({@link CaughtUpTrackingSource}) and the
 * watermark generators of its splits ({@link SplitIdleness}), all on the reader's task thread.
 *
 * <p>Its {@link #caughtUpClock() caught-up clock} is the time a split's idleness is measured in. It advances only
 * across periodic watermark checks between which the reader was <em>caught up</em>: at least once since the previous
 * check a poll found nothing fetched and not yet emitted (so every record fetched before that moment, of every split,
 * had been emitted), and its consumer reports no pending record (Kafka's {@code records-lag}, summed in the reader's
 * {@code pendingRecords} metric, is 0; a reader that has had no record at all has nothing pending to report, and only
 * needs to be waiting). A reader that keeps up with live traffic waits between fetches many times a second, so a
 * split that gets nothing goes idle while the others keep flowing. Time in which the reader is busy emitting without
 * a pause, is back-pressured (the base is Flink's input-activity clock), has a backlog in Kafka, or whose pending
 * records it cannot report, does not count: a reader that is slow, starved or stalled can never take that for
 * silence. A single step is counted as at most {@link #MAX_STEP_MILLIS}, so that a pause of the reader's own thread
 * (a long GC, a starved CPU) between two checks counts as one check, not as its length.
 */
final class ReaderProgress {
    static final long MAX_STEP_MILLIS = 1_000;

    private RelativeClock base;
    private volatile Gauge<Long> pendingRecords; // registered from the connector's fetcher thread
    private boolean hasRecords;
    private boolean drained;
    private boolean waitedSinceLastStep;
    private long lastStepMillis = Long.MIN_VALUE;
    private long caughtUpMillis;

    /** A record of one of the reader's splits reached its watermark generator. */
    void recordArrived() {
        hasRecords = true;
    }

    /** Whether any split of the reader has had a record. */
    boolean hasRecords() {
        return hasRecords;
    }

    /** The reader was polled: {@code nothingAvailable} when everything fetched so far has been emitted. */
    void polled(boolean nothingAvailable) {
        drained = nothingAvailable;
        if (nothingAvailable) {
            waitedSinceLastStep = true;
        }
    }

    /** The reader's {@code pendingRecords} gauge, as its connector registered it. */
    void pendingRecords(Gauge<Long> gauge) {
        this.pendingRecords = gauge;
    }

    /** The clock that advances only while the reader is caught up; {@code base} is the first generator's clock. */
    RelativeClock caughtUpClock(RelativeClock base) {
        if (this.base == null) {
            this.base = base;
        }
        return new RelativeClock() {
            @Override
            public long relativeTimeMillis() {
                return caughtUpMillis();
            }

            @Override
            public long relativeTimeNanos() {
                return caughtUpMillis() * 1_000_000;
            }
        };
    }

    private long caughtUpMillis() {
        long now = base.relativeTimeMillis();
        if (lastStepMillis == Long.MIN_VALUE) {
            lastStepMillis = now;
            return caughtUpMillis;
        }
        if (now > lastStepMillis) {
            if (caughtUpThroughout()) {
                caughtUpMillis += Math.min(now - lastStepMillis, MAX_STEP_MILLIS);
            }
            lastStepMillis = now;
            waitedSinceLastStep = drained; // still waiting: the next step starts caught up
        }
        return caughtUpMillis;
    }

    private boolean caughtUpThroughout() {
        // A reader that has had no record at all may be taken as caught up once it is waiting: its splits going idle
        // moves no watermark of its own ahead, and an empty topic must not hold a two-input operator back for ever.
        return waitedSinceLastStep && (!hasRecords || nothingPendingInKafka());
    }

    private boolean nothingPendingInKafka() {
        if (pendingRecords == null) {
            return false; // not reported (yet): nothing proves the consumer has read everything
        }
        try {
            Long pending = pendingRecords.getValue();
            return pending != null && pending == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Links one reader to its generators: Flink deserializes a source operator's source and watermark strategy
     * together, once per subtask, so the one {@code Link} both refer to becomes one object per reader, and so does
     * the progress it holds. A strategy whose source does not report to it never finds its reader caught up.
     */
    static final class Link implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient ReaderProgress progress;

        ReaderProgress progress() {
            if (progress == null) {
                progress = new ReaderProgress();
            }
            return progress;
        }
    }
}
