package qp.job.windows;

/**
 * A window over per-type partials: merges each {@link TypeWindowPartial} into the window's accumulator, so the
 * accumulator holds what a window folded from the frames themselves would (the same counts, sums, maxima and sketch
 * bins; mean and M2 up to floating-point rounding of the merges). The per-node window ({@code trackTypeMix}) counts
 * each partial's frames under its type; the per-type window merges the partials the frames' readers folded.
 */
public final class TypeWindowStatsAggregate extends StatsAggregate<TypeWindowPartial> {
    public TypeWindowStatsAggregate(double relativeAccuracy, boolean trackTypeMix) {
        super(relativeAccuracy, trackTypeMix);
    }

    @Override
    public StatsAccumulator add(TypeWindowPartial partial, StatsAccumulator acc) {
        acc.addTypeWindow(partial.type(), partial.stats());
        return acc;
    }
}
