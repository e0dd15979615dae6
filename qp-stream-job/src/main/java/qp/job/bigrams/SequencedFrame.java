package qp.job.bigrams;

import qp.protocol.events.FrameEvent;

/**
 * What the per-connection sequencer reads of a frame (keyed by node and connection): the key, the order (event time,
 * then seq) and the message type. Five of the frame event's seventeen fields ({@link SequencedFrameSerializer}).
 */
public record SequencedFrame(String nodeId, String connectionId, long seq, long eventTimeMillis, String type) {

    public static SequencedFrame of(FrameEvent f) {
        return new SequencedFrame(f.nodeId(), f.connectionId(), f.seq(), f.eventTimeMillis(), f.type());
    }
}
