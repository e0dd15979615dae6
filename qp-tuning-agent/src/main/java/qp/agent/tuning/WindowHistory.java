package qp.agent.tuning;

import java.util.List;
import java.util.OptionalInt;
import qp.agent.experiments.TrafficProfile;

/** A node's recent windows: what its traffic looked like. */
public interface WindowHistory {
    /** The last {@code n} windows of the node that ended at or before {@code untilMs}, oldest first. */
    List<WindowSample> before(String nodeId, long untilMs, int n);

    /** The first {@code n} windows of the node that started at or after {@code fromMs}, oldest first. */
    List<WindowSample> after(String nodeId, long fromMs, int n);

    /** The node's traffic over its last {@code n} windows ending at or before {@code untilMs}; null without any. */
    TrafficProfile profile(String nodeId, long untilMs, int n);

    /** Open connections in the node's latest sample at or before {@code untilMs}; empty without any. */
    OptionalInt connections(String nodeId, long untilMs);
}
