package qp.job.windows;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds each record of a window into its {@link StatsAccumulator} as it arrives, so the window never buffers frames;
 * the subclass says how one record is added.
 */
abstract class StatsAggregate<T> implements AggregateFunction<T, StatsAccumulator, StatsAccumulator> {
    private final double relativeAccuracy;
    private final boolean trackTypeMix;

    StatsAggregate(double relativeAccuracy, boolean trackTypeMix) {
        this.relativeAccuracy = relativeAccuracy;
        this.trackTypeMix = trackTypeMix;
    }

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator(relativeAccuracy, trackTypeMix);
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
