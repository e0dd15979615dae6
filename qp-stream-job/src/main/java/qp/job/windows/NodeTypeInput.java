package qp.job.windows;

import qp.protocol.events.FrameEvent;

/**
 * What crosses the keyed exchange by (node, type), from {@link TypePartialsInReader} in the frames' reader: either a
 * frame that may be the slowest of its block (for the single-frame latency check) or a per-type window's partial
 * accumulator (for the per-type windows). Exactly one of the two is set.
 *
 * @param frame   a candidate for the single-frame latency check, timestamped with its event time
 * @param partial a part of one per-type window, timestamped with the window's last millisecond
 */
public record NodeTypeInput(FrameEvent frame, TypeWindowPartial partial) {
    public NodeTypeInput {
        if ((frame == null) == (partial == null)) {
            throw new IllegalArgumentException("exactly one of frame and partial");
        }
    }

    public static NodeTypeInput of(FrameEvent frame) {
        return new NodeTypeInput(frame, null);
    }

    public static NodeTypeInput of(TypeWindowPartial partial) {
        return new NodeTypeInput(null, partial);
    }

    public String nodeId() {
        return frame != null ? frame.nodeId() : partial.nodeId();
    }

    public String type() {
        return frame != null ? frame.type() : partial.type();
    }
}
