package qp.agent.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import qp.protocol.analytics.Recommendation;

/** An in-memory source: what {@link #offer} was given, in order (tests, and replays of a store). */
public final class QueueRecommendationSource implements RecommendationSource {
    private final ConcurrentLinkedQueue<Recommendation> queue = new ConcurrentLinkedQueue<>();

    public void offer(Recommendation r) {
        queue.add(r);
    }

    @Override
    public List<Recommendation> poll() {
        List<Recommendation> out = new ArrayList<>();
        Recommendation r;
        while ((r = queue.poll()) != null) {
            out.add(r);
        }
        return out;
    }

    @Override
    public void commit() {
    }
}
