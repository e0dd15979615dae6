package qp.job.io;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the decoded records, assigned in the sources so that each Kafka partition has its own watermark:
 * bounded out-of-orderness, and idleness ({@link SplitIdleness}) so that a partition without events does not hold the
 * others back, yet a partition whose records are still to be read (not fetched yet, fetched and waiting behind the
 * others', or a reader too slow or starved to get to them) is never taken for an empty one: a split goes idle only
 * after the idle timeout of its reader being caught up, which the reader proves through {@link #track}. Dead letters
 * keep their Kafka timestamp but never move the watermark (a replayed or garbled record must not make the good ones
 * late).
 */
public final class EventTime {
    private EventTime() {
    }

    /** Reads the event time of a value. */
    @FunctionalInterface
    public interface TimeOf<T> extends Serializable {
        long millis(T value);
    }

    public static <T> WatermarkStrategy<Decoded<T>> strategy(TimeOf<T> timeOf, Duration maxOutOfOrderness,
            Duration idleTimeout) {
        return new PerReader<>(timeOf, maxOutOfOrderness, idleTimeout);
    }

    /**
     * The source to read with {@code time}: one whose readers report to that strategy's idleness when they are caught
     * up. Without it a split of this strategy never goes idle (nothing proves its reader has read everything).
     */
    public static <T, S extends org.apache.flink.api.connector.source.SourceSplit, E>
            org.apache.flink.api.connector.source.Source<T, S, E> track(
                    org.apache.flink.api.connector.source.Source<T, S, E> source,
                    org.apache.flink.api.common.typeinfo.TypeInformation<T> type, WatermarkStrategy<T> time) {
        if (time instanceof PerReader<?> perReader) {
            return new CaughtUpTrackingSource<>(source, type, perReader.link);
        }
        return source;
    }

    /**
     * Flink deserializes one instance of a source's strategy per source subtask and asks it for the generator of
     * every split of that subtask (and one for the reader's main output). The {@link ReaderProgress.Link} is
     * serialized with the source of {@link #track} in the same operator, so each subtask's reader and its splits'
     * generators share one {@link ReaderProgress}.
     */
    static final class PerReader<T> implements WatermarkStrategy<Decoded<T>> {
        private static final long serialVersionUID = 1L;
        private final TimeOf<T> timeOf;
        private final Duration maxOutOfOrderness;
        private final Duration idleTimeout;
        private final ReaderProgress.Link link = new ReaderProgress.Link();

        PerReader(TimeOf<T> timeOf, Duration maxOutOfOrderness, Duration idleTimeout) {
            this.timeOf = timeOf;
            this.maxOutOfOrderness = maxOutOfOrderness;
            this.idleTimeout = idleTimeout;
        }

        @Override
        public TimestampAssigner<Decoded<T>> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
            return (d, kafkaTimestamp) -> d.value != null ? timeOf.millis(d.value) : kafkaTimestamp;
        }

        @Override
        public WatermarkGenerator<Decoded<T>> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
            return new SplitIdleness<>(new ValuesOnly<>(new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness)),
                    idleTimeout.toMillis(), context.getInputActivityClock(), link.progress());
        }
    }

    /** Passes only decoded values to the bounded-out-of-orderness generator. */
    static final class ValuesOnly<T> implements WatermarkGenerator<Decoded<T>> {
        private final WatermarkGenerator<Decoded<T>> delegate;

        ValuesOnly(WatermarkGenerator<Decoded<T>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEvent(Decoded<T> event, long eventTimestamp, WatermarkOutput output) {
            if (event.value != null) {
                delegate.onEvent(event, eventTimestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            delegate.onPeriodicEmit(output);
        }
    }

    /** For tests: the watermark a strategy's generator would emit. */
    static long watermarkOf(WatermarkGenerator<?> g) {
        long[] last = {Long.MIN_VALUE};
        g.onPeriodicEmit(new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                last[0] = watermark.getTimestamp();
            }

            @Override
            public void markIdle() {
            }

            @Override
            public void markActive() {
            }
        });
        return last[0];
    }
}
