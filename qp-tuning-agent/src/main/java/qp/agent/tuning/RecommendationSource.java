package qp.agent.tuning;

import java.util.List;
import qp.protocol.analytics.Recommendation;

/** Where recommendations come from: {@code qp.recommendations} in the agent, a queue in tests. */
public interface RecommendationSource extends AutoCloseable {
    /** The recommendations that arrived since the last poll; may be empty; never blocks for long. */
    List<Recommendation> poll();

    /** Everything polled so far is in the ledger: it need not be delivered again after a restart. */
    void commit();

    @Override
    default void close() {
    }
}
