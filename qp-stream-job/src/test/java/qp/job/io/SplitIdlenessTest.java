package qp.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idleness measured in a reader's caught-up time, with a fake clock: two splits of one reader, "busy" and "silent".
 * The reader's poll outcomes and its pending-records gauge are set by hand, as the tracking source would report them.
 */
class SplitIdlenessTest {
    static final long IDLE_MILLIS = 5_000; // above ReaderProgress.MAX_STEP_MILLIS, as the tests' 5 s
    static final long TICK_MILLIS = 200; // Flink's default periodic watermark interval

    long nowMillis;
    long pendingRecords;
    ReaderProgress reader;
    Split busy;
    Split silent;

    @BeforeEach
    void twoSplitsOfOneReader() {
        reader = new ReaderProgress();
        reader.pendingRecords(() -> pendingRecords);
        busy = new Split(reader, this);
        silent = new Split(reader, this);
    }

    @Test
    void aSilentSplitOfACaughtUpReaderGoesIdleAfterTheTimeoutAndComesBackWithItsNextRecord() {
        busy.record(1_000);
        reader.polled(true); // everything fetched was emitted, nothing pending in Kafka
        ticks(IDLE_MILLIS / TICK_MILLIS + 2);
        assertThat(silent.idle).as("silent for the idle timeout of caught-up reading").isTrue();
        assertThat(busy.idle).isTrue(); // both quiet: the source as a whole is idle, which moves nothing ahead

        busy.record(5_000);
        reader.polled(true);
        tick();
        assertThat(busy.idle).isFalse();
        assertThat(silent.idle).isTrue();
        silent.record(5_100);
        assertThat(silent.idle).isFalse();
    }

    @Test
    void aSplitWaitingBehindABusyReaderNeverGoesIdleHoweverLongItTakes() {
        busy.record(1_000);
        for (int i = 0; i < 1_000; i++) { // 200 s of a reader emitting the other split's records
            busy.record(1_000 + i);
            reader.polled(false);
            tick();
        }
        assertThat(silent.idle).as("quiet only because the reader is busy with the other split").isFalse();
        assertThat(silent.emitted).as("and it holds the watermark back").isNotEmpty().containsOnly(Long.MIN_VALUE);
    }

    @Test
    void aSilentSplitGoesIdleWhileTheReaderKeepsUpWithSteadyTrafficOnTheOther() {
        for (int i = 0; i < IDLE_MILLIS / TICK_MILLIS + 2; i++) { // a record, then a wait, between every two checks
            busy.record(1_000 + i);
            reader.polled(false);
            reader.polled(true);
            busy.record(1_001 + i);
            reader.polled(false);
            tick();
        }
        assertThat(silent.idle).as("the reader waited between checks: the silent split has nothing to read").isTrue();
        assertThat(busy.idle).isFalse();
    }

    @Test
    void aSplitDoesNotGoIdleWhileItsConsumerHasRecordsToFetch() {
        busy.record(1_000);
        reader.polled(true); // waiting for the next fetch ...
        pendingRecords = 5_000; // ... of a backlog
        ticks(1_000);
        assertThat(silent.idle).isFalse();

        pendingRecords = 0; // caught up: the timeout starts counting now
        ticks(IDLE_MILLIS / TICK_MILLIS - 1);
        assertThat(silent.idle).isFalse();
        ticks(2);
        assertThat(silent.idle).isTrue();
    }

    @Test
    void withoutAPendingRecordsGaugeNothingProvesTheReaderCaughtUp() {
        ReaderProgress unreported = new ReaderProgress();
        Split a = new Split(unreported, this);
        Split b = new Split(unreported, this);
        a.record(1_000);
        unreported.polled(true);
        for (int i = 0; i < 100; i++) {
            nowMillis += TICK_MILLIS;
            a.check();
            b.check();
        }
        assertThat(b.idle).isFalse();
    }

    @Test
    void aLongPauseOfTheReadersThreadCountsAsOneCheckNotAsItsLength() {
        busy.record(1_000);
        reader.polled(true);
        ticks(2);
        nowMillis += 60_000; // a GC or a starved CPU: no check ran for a minute
        tick();
        assertThat(silent.idle).as("the minute counted as " + ReaderProgress.MAX_STEP_MILLIS + " ms").isFalse();
        ticks(IDLE_MILLIS / TICK_MILLIS + 1);
        assertThat(silent.idle).isTrue();
    }

    @Test
    void beforeTheReadersFirstRecordItsSplitsMayGoIdleAndThatMovesNoWatermark() {
        reader.polled(true); // an empty topic: nothing fetched, nothing pending to report
        pendingRecords = -1; // not registered yet: must not matter
        ticks(IDLE_MILLIS / TICK_MILLIS + 2);
        assertThat(busy.idle).isTrue();
        assertThat(silent.idle).isTrue();
    }

    @Test
    void aSplitWithoutRecordsGetsItsTimeoutOnlyFromTheReadersFirstRecord() {
        reader.polled(true);
        ticks(3);
        busy.record(1_000); // the reader starts delivering: the silent split's quiet time starts now
        reader.polled(true);
        ticks(IDLE_MILLIS / TICK_MILLIS - 1);
        assertThat(silent.idle).isFalse();
        ticks(2);
        assertThat(silent.idle).isTrue();
    }

    void tick() {
        nowMillis += TICK_MILLIS;
        busy.check();
        silent.check();
    }

    void ticks(long n) {
        for (long i = 0; i < n; i++) {
            tick();
        }
    }

    /** One split's generator and what it emitted. */
    static final class Split implements WatermarkOutput {
        final SplitIdleness<Long> generator;
        final List<Long> emitted = new ArrayList<>();
        boolean idle;

        Split(ReaderProgress reader, SplitIdlenessTest clock) {
            generator = new SplitIdleness<>(new BoundedOutOfOrdernessWatermarks<>(java.time.Duration.ZERO),
                    IDLE_MILLIS, new org.apache.flink.util.clock.RelativeClock() {
                        @Override
                        public long relativeTimeMillis() {
                            return clock.nowMillis;
                        }

                        @Override
                        public long relativeTimeNanos() {
                            return clock.nowMillis * 1_000_000;
                        }
                    }, reader);
        }

        void record(long eventTime) {
            generator.onEvent(eventTime, eventTime, this);
        }

        void check() {
            generator.onPeriodicEmit(this);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
