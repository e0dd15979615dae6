package qp.job.windows;

import qp.protocol.events.FrameEvent;

/** Folds each frame into the window's {@link StatsAccumulator} as it arrives; the window never buffers frames. */
public final class FrameStatsAggregate extends StatsAggregate<FrameEvent> {
    public FrameStatsAggregate(double relativeAccuracy, boolean trackTypeMix) {
        super(relativeAccuracy, trackTypeMix);
    }

    @Override
    public StatsAccumulator add(FrameEvent frame, StatsAccumulator acc) {
        acc.add(frame);
        return acc;
    }
}
