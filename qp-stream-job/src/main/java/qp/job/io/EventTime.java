package qp.job.io;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the decoded records, assigned in the sources so that each Kafka partition has its own watermark:
 * bounded out-of-orderness, and idleness so that a partition without events does not hold the others back.
 * Dead letters keep their Kafka timestamp but never move the watermark (a replayed or garbled record must not make
 * the good ones late).
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
        SerializableTimestampAssigner<Decoded<T>> assigner =
                (d, kafkaTimestamp) -> d.value != null ? timeOf.millis(d.value) : kafkaTimestamp;
        WatermarkStrategy<Decoded<T>> bounded = WatermarkStrategy.<Decoded<T>>forGenerator(
                ctx -> new ValuesOnly<>(new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness)))
                .withTimestampAssigner(assigner);
        return idleTimeout.isZero() ? bounded : bounded.withIdleness(idleTimeout);
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
