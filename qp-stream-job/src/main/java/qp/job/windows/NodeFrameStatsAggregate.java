package qp.job.windows;

/** {@link FrameStatsAggregate} for the per-node windows, which receive {@link NodeFrame}s and track the type mix. */
public final class NodeFrameStatsAggregate extends StatsAggregate<NodeFrame> {
    public NodeFrameStatsAggregate(double relativeAccuracy) {
        super(relativeAccuracy, true);
    }

    @Override
    public StatsAccumulator add(NodeFrame frame, StatsAccumulator acc) {
        acc.add(frame);
        return acc;
    }
}
