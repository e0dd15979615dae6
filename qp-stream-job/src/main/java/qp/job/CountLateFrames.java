package qp.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import qp.protocol.events.FrameEvent;

/** Counts the frames that came after their window closed in the metric {@code lateFrames}, and passes them on. */
final class CountLateFrames extends RichMapFunction<FrameEvent, FrameEvent> {
    private static final long serialVersionUID = 1L;

    private transient Counter lateFrames;

    @Override
    public void open(OpenContext openContext) {
        lateFrames = getRuntimeContext().getMetricGroup().counter("lateFrames");
    }

    @Override
    public FrameEvent map(FrameEvent frame) {
        lateFrames.inc();
        return frame;
    }
}
