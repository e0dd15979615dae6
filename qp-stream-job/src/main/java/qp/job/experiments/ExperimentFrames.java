package qp.job.experiments;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import qp.protocol.events.FrameEvent;

/**
 * Keeps the frames of running experiments. A frame with an experiment id but no arm or bucket cannot be put in a
 * cell: it is left out and counted in the metric {@code experimentFramesWithoutArm} (a gateway bug to look into).
 */
public final class ExperimentFrames extends RichFilterFunction<FrameEvent> {
    private static final long serialVersionUID = 1L;

    private transient Counter withoutArm;

    @Override
    public void open(OpenContext openContext) {
        withoutArm = getRuntimeContext().getMetricGroup().counter("experimentFramesWithoutArm");
    }

    @Override
    public boolean filter(FrameEvent f) {
        if (f.experimentId() == null) {
            return false;
        }
        if (f.arm() == null || f.bucket() == null) {
            withoutArm.inc();
            return false;
        }
        return true;
    }
}
