package qp.job.bigrams;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.Collector;

/**
 * The transitions of one connection's release in one bigram window, counted per distinct pair, so that the keyed edge
 * to the bigram windows carries one record per pair and window instead of one per frame. Pairs come out grouped by
 * their first type, in the order first seen (deterministic for the same input).
 */
final class PairCounts {
    private final Map<String, Map<String, Tally>> byFrom = new LinkedHashMap<>();

    private static final class Tally {
        int count;
        long lastEventMillis;
    }

    void add(String from, String to, long eventTimeMillis) {
        Tally t = byFrom.computeIfAbsent(from, k -> new LinkedHashMap<>()).computeIfAbsent(to, k -> new Tally());
        t.count++;
        t.lastEventMillis = eventTimeMillis;
    }

    /** One record per distinct pair counted since the last emit, then starts afresh. */
    void emit(String nodeId, Collector<TransitionCount> out) {
        for (Map.Entry<String, Map<String, Tally>> from : byFrom.entrySet()) {
            for (Map.Entry<String, Tally> to : from.getValue().entrySet()) {
                Tally t = to.getValue();
                out.collect(new TransitionCount(nodeId, from.getKey(), to.getKey(), t.lastEventMillis, t.count));
            }
        }
        byFrom.clear();
    }
}
