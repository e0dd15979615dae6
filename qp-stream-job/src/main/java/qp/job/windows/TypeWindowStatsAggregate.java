package qp.job.windows;

/**
 * The per-node window over the per-type windows' results: merges each {@link TypeWindowPartial} into the node's
 * accumulator and counts its frames under its type, so the accumulator holds what a per-frame node window would
 * (the same counts, sums, maxima and sketch bins; mean and M2 up to floating-point rounding of the merges).
 */
public final class TypeWindowStatsAggregate extends StatsAggregate<TypeWindowPartial> {
    public TypeWindowStatsAggregate(double relativeAccuracy) {
        super(relativeAccuracy, true);
    }

    @Override
    public StatsAccumulator add(TypeWindowPartial partial, StatsAccumulator acc) {
        acc.addTypeWindow(partial.type(), partial.stats());
        return acc;
    }
}
