package qp.agent.tuning;

import java.util.List;

/** A node's recent windows, for comparing those after a change with those before it. */
public interface WindowHistory {
    /** The last {@code n} windows of the node that ended at or before {@code untilMs}, oldest first. */
    List<WindowSample> before(String nodeId, long untilMs, int n);

    /** The first {@code n} windows of the node that started at or after {@code fromMs}, oldest first. */
    List<WindowSample> after(String nodeId, long fromMs, int n);
}
