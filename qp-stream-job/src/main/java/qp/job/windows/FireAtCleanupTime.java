package qp.job.windows;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires an event-time window when the watermark passes its end, like Flink's {@code EventTimeTrigger}, but without a
 * timer of its own: it fires on the window operator's clean-up timer, which with no allowed lateness is set at the same
 * time (the window's last millisecond). {@code EventTimeTrigger} registers its timer for every element, and the window
 * operator then registers the clean-up timer for every element too: two look-ups in the timer queue's de-duplication
 * map per frame for one timer. Only for windows without allowed lateness (later, the clean-up timer comes after the
 * end and the window would fire late). No state, and the clean-up timer is the one older builds set too, so a
 * checkpoint of a window with {@code EventTimeTrigger} restores and fires at the same time.
 */
public final class FireAtCleanupTime extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;
    public static final FireAtCleanupTime INSTANCE = new FireAtCleanupTime();

    private FireAtCleanupTime() {
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        // a window the watermark has passed takes no element without lateness (the operator drops it as late)
        return window.maxTimestamp() <= ctx.getCurrentWatermark() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        // no timer or state of its own: the operator's clean-up timer has fired when the window is cleared
    }

    @Override
    public String toString() {
        return "FireAtCleanupTime()";
    }
}
