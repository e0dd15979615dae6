package qp.job.experiments;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds each frame of an experiment into the window's {@link ExperimentAccumulator}; the window buffers no frames. */
public final class ExperimentStatsAggregate
        implements AggregateFunction<ExperimentFrame, ExperimentAccumulator, ExperimentAccumulator> {
    private static final long serialVersionUID = 1L;

    private final double relativeAccuracy;

    public ExperimentStatsAggregate(double relativeAccuracy) {
        this.relativeAccuracy = relativeAccuracy;
    }

    @Override
    public ExperimentAccumulator createAccumulator() {
        return new ExperimentAccumulator(relativeAccuracy);
    }

    @Override
    public ExperimentAccumulator add(ExperimentFrame frame, ExperimentAccumulator acc) {
        acc.add(frame);
        return acc;
    }

    @Override
    public ExperimentAccumulator getResult(ExperimentAccumulator acc) {
        return acc;
    }

    @Override
    public ExperimentAccumulator merge(ExperimentAccumulator a, ExperimentAccumulator b) {
        return a.merge(b);
    }
}
