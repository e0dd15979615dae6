package qp.job.bigrams;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import qp.protocol.analytics.BigramCount;
import qp.protocol.events.FrameEvent;

/**
 * The tests' oracle for bigrams, computed from the frames a test generated: per "node|windowStart", the FROM->TO
 * counts of consecutive frames of each connection in (event time, seq) order, a pair counting in the window of its
 * later frame.
 */
public final class BigramOracle {
    private BigramOracle() {
    }

    public static Map<String, Map<String, Long>> expected(List<SequencedFrame> frames, long windowMillis) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        Map<String, List<SequencedFrame>> byConnection = frames.stream()
                .collect(Collectors.groupingBy(f -> f.nodeId() + "|" + f.connectionId()));
        for (List<SequencedFrame> conn : byConnection.values()) {
            List<SequencedFrame> sorted = conn.stream().sorted(Comparator.comparingLong(SequencedFrame::eventTimeMillis)
                    .thenComparingLong(SequencedFrame::seq)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                SequencedFrame to = sorted.get(i);
                long start = to.eventTimeMillis() - Math.floorMod(to.eventTimeMillis(), windowMillis);
                out.computeIfAbsent(to.nodeId() + "|" + start, k -> new TreeMap<>())
                        .merge(BigramCount.sequenceOf(sorted.get(i - 1).type(), to.type()), 1L, Long::sum);
            }
        }
        return out;
    }

    /** {@link #expected} of whole frame events. */
    public static Map<String, Map<String, Long>> expectedOfEvents(List<FrameEvent> events, long windowMillis) {
        return expected(events.stream().map(f -> new SequencedFrame(f.nodeId(), f.connectionId(), f.seq(),
                f.eventTimeMillis(), f.type())).toList(), windowMillis);
    }
}
