package qp.protocol.analytics;

/**
 * How often one message type followed another on the same connection.
 *
 * @param sequence "FROM->TO", e.g. {@code AUTH->ACK}
 * @param count    transitions in the window
 * @param share    count / all transitions of the node in the window
 */
public record BigramCount(String from, String to, String sequence, long count, double share) {

    public static String sequenceOf(String from, String to) {
        return from + "->" + to;
    }
}
