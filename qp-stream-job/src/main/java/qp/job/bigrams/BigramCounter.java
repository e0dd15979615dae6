package qp.job.bigrams;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import qp.protocol.analytics.BigramCount;

/** Counts the transitions of a node's window by "FROM->TO"; the map is as big as the distinct pairs, not the frames. */
public final class BigramCounter implements AggregateFunction<TypeTransition, Map<String, Long>, Map<String, Long>> {

    @Override
    public Map<String, Long> createAccumulator() {
        return new HashMap<>();
    }

    @Override
    public Map<String, Long> add(TypeTransition t, Map<String, Long> acc) {
        acc.merge(BigramCount.sequenceOf(t.from(), t.to()), 1L, Long::sum);
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
