package qp.job.windows;

import org.apache.flink.api.common.functions.AggregateFunction;

/** {@link FrameStatsAggregate} for the per-node windows, which receive {@link NodeFrame}s. */
public final class NodeFrameStatsAggregate
        implements AggregateFunction<NodeFrame, StatsAccumulator, StatsAccumulator> {
    private final double relativeAccuracy;

    public NodeFrameStatsAggregate(double relativeAccuracy) {
        this.relativeAccuracy = relativeAccuracy;
    }

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator(relativeAccuracy, true);
    }

    @Override
    public StatsAccumulator add(NodeFrame frame, StatsAccumulator acc) {
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
