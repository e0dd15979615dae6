package qp.protocol.analytics;

import java.util.List;

/**
 * Message-type sequences of one node in one window: the record of topic {@code qp.bigrams}, keyed by node.
 * A transition is two consecutive frames of one connection (both directions, in event-time then seq order).
 *
 * @param totalTransitions  transitions counted in the window
 * @param distinctSequences different FROM->TO pairs seen
 * @param top               the most frequent pairs, most frequent first
 */
public record BigramWindow(
        String nodeId,
        long windowStartMillis,
        long windowEndMillis,
        long totalTransitions,
        int distinctSequences,
        List<BigramCount> top) {
}
