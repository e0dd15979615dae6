package qp.job.io;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Idleness of one source split (Kafka partition) that cannot release a partition which simply has not been fetched
 * yet. A partition that has had records goes idle after {@code idleMillis} without one, as Flink's own idleness does.
 * A partition that has had none yet is given its {@code idleMillis} only from the moment its reader has records on
 * some other partition: the reader's one consumer fetches all of its partitions together, so a partition that stays
 * empty while the others deliver is empty, not slow. Before that (the consumer is still starting) the partition holds
 * the watermark back, unless nothing at all arrived on the reader, where going idle moves no watermark ahead.
 *
 * <p>Without this, a reader that polled an empty or not-yet-fetched partition for the idle timeout at start went idle,
 * the other partitions moved the watermark on, and the first windows of that partition's frames were late.
 *
 * <p>The clock is the split's input-activity clock, which stands still while the source is back-pressured, so a busy
 * job does not mistake its own slowness for silence.
 */
final class SplitIdleness<T> implements WatermarkGenerator<T> {
    private final WatermarkGenerator<T> watermarks;
    private final long idleMillis;
    private final RelativeClock clock;
    private final ReaderActivity reader;

    private long records;
    private long recordsAtLastCheck;
    private boolean readerActiveAtLastCheck;
    private long quietSinceMillis = -1;
    private boolean idle;

    SplitIdleness(WatermarkGenerator<T> watermarks, long idleMillis, RelativeClock clock, ReaderActivity reader) {
        this.watermarks = watermarks;
        this.idleMillis = idleMillis;
        this.clock = clock;
        this.reader = reader;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        records++;
        reader.recordArrived();
        watermarks.onEvent(event, eventTimestamp, output);
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.relativeTimeMillis();
        boolean readerActive = reader.hasRecords();
        boolean ownRecordSinceLastCheck = records != recordsAtLastCheck;
        boolean readerJustStartedDelivering = records == 0 && readerActive && !readerActiveAtLastCheck;
        if (ownRecordSinceLastCheck || readerJustStartedDelivering || quietSinceMillis < 0) {
            quietSinceMillis = now;
        }
        recordsAtLastCheck = records;
        readerActiveAtLastCheck = readerActive;

        boolean quietTooLong = idleMillis > 0 && now - quietSinceMillis >= idleMillis;
        if (quietTooLong) {
            if (!idle) {
                idle = true;
                output.markIdle();
            }
            return;
        }
        if (idle) {
            idle = false;
            output.markActive();
        }
        watermarks.onPeriodicEmit(output);
    }

    /** Whether any split of one source reader has had a record; shared by the generators of that reader's splits. */
    static final class ReaderActivity {
        private boolean hasRecords;

        void recordArrived() {
            hasRecords = true;
        }

        boolean hasRecords() {
            return hasRecords;
        }
    }
}
