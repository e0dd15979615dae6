package qp.job.io;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idleness of one source split (Kafka partition) that only a caught-up reader can declare. A split is quiet while it
 * has no record; it goes idle once it has been quiet for {@code idleMillis} of its reader's
 * {@link ReaderProgress#caughtUpClock() caught-up time}: time in which the reader had emitted everything it fetched
 * and its consumer had nothing left to fetch. So a partition goes idle only when its reader has proven there is
 * nothing of it to read, never merely because wall time passed while the reader was busy with the other partitions,
 * starved of CPU, paused by a GC or back-pressured: all of those stop the caught-up clock. A truly silent partition
 * still goes idle after {@code idleMillis} of a caught-up reader, and its last windows close on the others' time.
 *
 * <p>A partition that has had no record yet is quiet only from its reader's first record on (before that no other
 * partition moves the watermark, and a consumer that is still starting must not be mistaken for empty ones).
 *
 * <p>Without this, a reader starved for longer than the idle timeout while emitting one partition's part of a backlog
 * released the other partition as idle, the first partition moved the watermark on, and the second one's frames came
 * late (issue 6: QpJobKafkaTest and LiveJobTest lost their first windows at load average 50-75).
 */
final class SplitIdleness<T> implements WatermarkGenerator<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SplitIdleness.class);

    private final WatermarkGenerator<T> watermarks;
    private final long idleMillis;
    private final RelativeClock clock;
    private final ReaderProgress reader;

    private long records;
    private long recordsAtLastCheck;
    private boolean readerActiveAtLastCheck;
    private long quietSinceMillis = -1;
    private boolean idle;

    /** {@code inputActivity} is Flink's clock of the split; idleness is measured in the reader's caught-up time over it. */
    SplitIdleness(WatermarkGenerator<T> watermarks, long idleMillis, RelativeClock inputActivity,
            ReaderProgress reader) {
        this.watermarks = watermarks;
        this.idleMillis = idleMillis;
        this.clock = reader.caughtUpClock(inputActivity);
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
                LOG.info("a split quiet for {} ms of caught-up reading (after {} records) is idle", idleMillis, records);
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
}
