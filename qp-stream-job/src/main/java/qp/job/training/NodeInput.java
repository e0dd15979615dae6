package qp.job.training;

import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * What the trainer reads, keyed by node: a frame that can become a training row, or a node's per-second sample.
 * Exactly one of {@code frame} and {@code metrics} is set. The frame is cut to the fields training uses, so the
 * keyed exchange carries less than a whole frame event.
 */
public record NodeInput(String nodeId, FrameSample frame, NodeMetrics metrics) {

    /**
     * The fields of a frame event that a training row needs: with the experiment and arm it ran under (null without
     * one), because a treatment frame ran with a parameter value that its node's sample does not hold in its params;
     * {@code outbound} for a frame the node sent ({@link TrainingRow#outbound}), else a received one that got a reply.
     */
    public record FrameSample(String type, int rawBytes, int wireBytes, boolean compressed, long latencyMicros,
            long eventTimeMillis, String experimentId, String arm, boolean outbound) {

        /** A received frame handled while no experiment ran. */
        public FrameSample(String type, int rawBytes, int wireBytes, boolean compressed, long latencyMicros,
                long eventTimeMillis) {
            this(type, rawBytes, wireBytes, compressed, latencyMicros, eventTimeMillis, null, null, false);
        }
    }

    /** Frames that can be rows: received ones that got a reply, and sent ones the compression threshold governs. */
    public static boolean usable(FrameEvent f) {
        return TrainingRow.usable(f) || TrainingRow.outbound(f);
    }

    public static NodeInput of(FrameEvent f) {
        return new NodeInput(f.nodeId(), new FrameSample(f.type(), f.rawBytes(), f.wireBytes(), f.compressed(),
                f.latencyMicros(), f.eventTimeMillis(), f.experimentId(), f.arm(), TrainingRow.outbound(f)), null);
    }

    public static NodeInput of(NodeMetrics m) {
        return new NodeInput(m.nodeId(), null, m);
    }

    public TrainingRow row(NodeMetrics m) {
        FrameEvent f = new FrameEvent(nodeId, null, 0, null, frame.type(), null,
                frame.outbound() ? qp.protocol.events.Direction.OUT : qp.protocol.events.Direction.IN,
                frame.wireBytes(), frame.rawBytes(), frame.compressed(), frame.latencyMicros(), FrameEvent.OK,
                m.paramVersion(), frame.eventTimeMillis(), frame.experimentId(), frame.arm(), null);
        return TrainingRow.of(f, m);
    }
}
