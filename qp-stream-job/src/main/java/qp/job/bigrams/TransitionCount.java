package qp.job.bigrams;

/**
 * How often one connection went from {@code from} to {@code to} among the transitions of one release that fall in one
 * bigram window. The event time is that of one of those transitions (the last): it only says which window counts them.
 *
 * @param nodeId          the connection's node (the bigram windows are per node)
 * @param from            message type of the earlier frame of each pair
 * @param to              message type of the later frame
 * @param eventTimeMillis event time of the later frame of the last such pair
 * @param count           how many such pairs, at least 1
 */
public record TransitionCount(String nodeId, String from, String to, long eventTimeMillis, int count) {
}
