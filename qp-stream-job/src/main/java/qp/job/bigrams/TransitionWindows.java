package qp.job.bigrams;

import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling event-time windows over {@link TransitionCount}s by the record's own event time: the sequencer emits a
 * batch of counts under one timer, so a record's timestamp is the timer's, not that of the transitions it counts.
 */
public final class TransitionWindows extends WindowAssigner<Object, TimeWindow> {
    private final TumblingEventTimeWindows tumbling;

    public TransitionWindows(long sizeMillis) {
        this.tumbling = TumblingEventTimeWindows.of(Duration.ofMillis(sizeMillis));
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
        return tumbling.assignWindows(element, ((TransitionCount) element).eventTimeMillis(), context);
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return tumbling.getDefaultTrigger();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig config) {
        return tumbling.getWindowSerializer(config);
    }

    @Override
    public boolean isEventTime() {
        return true;
    }
}
