package qp.job.windows;

import org.apache.flink.api.common.functions.AggregateFunction;
import qp.protocol.events.FrameEvent;

/** Folds each frame into the window's {@link StatsAccumulator} as it arrives; the window never buffers frames. */
public final class FrameStatsAggregate implements AggregateFunction<FrameEvent, StatsAccumulator, StatsAccumulator> {
    private final double relativeAccuracy;
    private final boolean trackTypeMix;

    public FrameStatsAggregate(double relativeAccuracy, boolean trackTypeMix) {
        this.relativeAccuracy = relativeAccuracy;
        this.trackTypeMix = trackTypeMix;
    }

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator(relativeAccuracy, trackTypeMix);
    }

    @Override
    public StatsAccumulator add(FrameEvent frame, StatsAccumulator acc) {
        acc.add(frame);
        return acc;
    }

    @Override
    public StatsAccumulator getResult(StatsAccumulator acc) {
        return acc;
    }

    @Override
    public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
        return a.merge(b);
    }
}
