package qp.job.bigrams;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import qp.protocol.analytics.BigramCount;

/**
 * Adds up the transitions of a node's window by "FROM->TO"; the map is as big as the distinct pairs, not the frames.
 * Its records are already counts per pair (per connection and release), so it sees about one record per pair.
 */
public final class BigramCounter implements AggregateFunction<TransitionCount, Map<String, Long>, Map<String, Long>> {

    @Override
    public Map<String, Long> createAccumulator() {
        return new HashMap<>();
    }

    @Override
    public Map<String, Long> add(TransitionCount t, Map<String, Long> acc) {
        acc.merge(BigramCount.sequenceOf(t.from(), t.to()), (long) t.count(), Long::sum);
        return acc;
    }

    @Override
    public Map<String, Long> getResult(Map<String, Long> acc) {
        return acc;
    }

    @Override
    public Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        b.forEach((k, v) -> a.merge(k, v, Long::sum));
        return a;
    }
}
