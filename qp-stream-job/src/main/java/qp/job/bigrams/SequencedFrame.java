package qp.job.bigrams;

import qp.protocol.events.FrameEvent;

/**
 * What the per-connection sequencer reads of one frame: the key (node, connection), the order (event time, then seq)
 * and the message type. The keyed edge carries them in runs per connection ({@link SequencedRun}).
 */
public record SequencedFrame(String nodeId, String connectionId, long seq, long eventTimeMillis, String type) {

    public static SequencedFrame of(FrameEvent f) {
        return new SequencedFrame(f.nodeId(), f.connectionId(), f.seq(), f.eventTimeMillis(), f.type());
    }
}
