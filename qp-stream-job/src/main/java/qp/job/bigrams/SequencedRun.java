package qp.job.bigrams;

import java.util.Arrays;
import java.util.Objects;
import qp.protocol.events.FrameEvent;

/**
 * What the per-connection sequencer reads (keyed by node and connection): the frames of one connection that one reader
 * saw between two of its watermarks, in the order they came, each with what the sequencer keeps of it (seq, event
 * time, type). Built by {@link ConnectionRunsInReader}; crosses the keyed edge as one record
 * ({@link SequencedRunSerializer}), so the node and connection are written once per run, not once per frame.
 *
 * @param frames never empty; owned by the run (not copied)
 */
public record SequencedRun(String nodeId, String connectionId, PendingFrame[] frames) {

    /** A run of one frame, for callers that hand the sequencer one frame at a time. */
    public static SequencedRun of(SequencedFrame f) {
        return new SequencedRun(f.nodeId(), f.connectionId(),
                new PendingFrame[] {new PendingFrame(f.seq(), f.eventTimeMillis(), f.type())});
    }

    public static SequencedRun of(FrameEvent f) {
        return of(SequencedFrame.of(f));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequencedRun r && nodeId.equals(r.nodeId) && connectionId.equals(r.connectionId)
                && Arrays.equals(frames, r.frames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, connectionId, Arrays.hashCode(frames));
    }

    @Override
    public String toString() {
        return "SequencedRun[" + nodeId + ", " + connectionId + ", " + Arrays.toString(frames) + "]";
    }
}
