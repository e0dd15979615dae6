package qp.job.training;

import java.util.ArrayList;
import java.util.List;
import qp.job.io.RunsInReader;
import qp.protocol.events.FrameEvent;

/**
 * Gathers each node's usable frames in the frames' reader into one {@link NodeInput} per node and watermark step
 * ({@link RunsInReader}), cut to the fields training reads, so the keyed exchange to the latency model carries one
 * record per node and step instead of one per frame. A run's frames meet the node's latest sample when the run
 * arrives, up to one watermark step later than a single frame would.
 */
public final class NodeRunsInReader extends RunsInReader<FrameEvent, NodeInput.FrameSample, NodeInput> {
    private static final long serialVersionUID = 1L;
    /** A node sending faster than this per watermark step sends more than one run per step. */
    static final int MAX_RUN = 4_096;

    public NodeRunsInReader() {
        super(MAX_RUN);
    }

    @Override
    protected String key(FrameEvent f) {
        return f.nodeId();
    }

    @Override
    protected String owner(FrameEvent f) {
        return f.nodeId();
    }

    @Override
    protected NodeInput.FrameSample item(FrameEvent f) {
        return NodeInput.FrameSample.of(f);
    }

    @Override
    protected NodeInput run(String node, String key, List<NodeInput.FrameSample> frames) {
        return new NodeInput(node, new ArrayList<>(frames), null);
    }
}
