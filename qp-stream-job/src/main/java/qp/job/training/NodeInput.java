package qp.job.training;

import java.util.List;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * What the trainer reads, keyed by node: frames that can become training rows, or a node's per-second sample.
 * Exactly one of {@code frames} (never empty) and {@code metrics} is set. The frames are cut to the fields training
 * uses, and the frames' reader hands them over in runs per node and watermark step ({@link NodeRunsInReader}), so the
 * keyed exchange carries one record per node and step, not a whole frame event per frame.
 */
public record NodeInput(String nodeId, List<FrameSample> frames, NodeMetrics metrics) {
    public NodeInput {
        if ((frames == null) == (metrics == null) || frames != null && frames.isEmpty()) {
            throw new IllegalArgumentException("frames or a sample, not both and not neither");
        }
    }

    /** One frame, or a sample (frame null). */
    public NodeInput(String nodeId, FrameSample frame, NodeMetrics metrics) {
        this(nodeId, frame == null ? null : List.of(frame), metrics);
    }

    /**
     * The fields of a frame event that a training row needs: with the experiment and arm it ran under (null without
     * one), because a treatment frame ran with a parameter value that its node's sample does not hold in its params;
     * {@code outbound} for a frame the node sent ({@link TrainingRow#outbound}), else a received one that got a reply.
     */
    public record FrameSample(String type, int rawBytes, int wireBytes, boolean compressed, long latencyMicros,
            long eventTimeMillis, String experimentId, String arm, boolean outbound) {

        public static FrameSample of(FrameEvent f) {
            return new FrameSample(f.type(), f.rawBytes(), f.wireBytes(), f.compressed(), f.latencyMicros(),
                    f.eventTimeMillis(), f.experimentId(), f.arm(), TrainingRow.outbound(f));
        }

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
        return new NodeInput(f.nodeId(), FrameSample.of(f), null);
    }

    public static NodeInput of(NodeMetrics m) {
        return new NodeInput(m.nodeId(), (List<FrameSample>) null, m);
    }

    /** The training row of one of this input's frames, joined with the node's sample {@code m}. */
    public TrainingRow row(FrameSample frame, NodeMetrics m) {
        FrameEvent f = new FrameEvent(nodeId, null, 0, null, frame.type(), null,
                frame.outbound() ? qp.protocol.events.Direction.OUT : qp.protocol.events.Direction.IN,
                frame.wireBytes(), frame.rawBytes(), frame.compressed(), frame.latencyMicros(), FrameEvent.OK,
                m.paramVersion(), frame.eventTimeMillis(), frame.experimentId(), frame.arm(), null);
        return TrainingRow.of(f, m);
    }
}
