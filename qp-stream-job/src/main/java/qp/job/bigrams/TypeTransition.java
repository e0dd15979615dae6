package qp.job.bigrams;

/** Two consecutive frames of one connection: {@code from} then {@code to}; the event time is that of {@code to}. */
public record TypeTransition(String nodeId, String from, String to, long eventTimeMillis) {
}
