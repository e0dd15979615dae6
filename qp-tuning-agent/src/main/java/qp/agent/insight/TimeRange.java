package qp.agent.insight;

/** A half-open range of epoch millis {@code [fromMillis, toMillis)} and an optional node, for the read queries. */
public record TimeRange(long fromMillis, long toMillis, String nodeId) {

    public static TimeRange since(long fromMillis, long nowMillis, String nodeId) {
        return new TimeRange(fromMillis, nowMillis + 1, nodeId);
    }

    /** SQL condition on a node column: {@code ""} when every node is wanted. */
    String nodeClause(String column) {
        return nodeId == null ? "" : " AND " + column + " = ?";
    }

    /** Binds from, to and (when set) the node at {@code first}, {@code first+1}, {@code first+2}; returns the next index. */
    int bind(java.sql.PreparedStatement p, int first) throws java.sql.SQLException {
        p.setLong(first, fromMillis);
        p.setLong(first + 1, toMillis);
        if (nodeId == null) {
            return first + 2;
        }
        p.setString(first + 2, nodeId);
        return first + 3;
    }
}
