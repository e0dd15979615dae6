package qp.job.bigrams;

import java.util.List;
import qp.job.io.RunsInReader;
import qp.protocol.events.FrameEvent;

/**
 * Gathers each connection's frames in the frames' reader into runs ({@link SequencedRun}) for the per-connection
 * sequencer ({@link RunsInReader}): the keyed exchange by connection carries one record per connection and watermark
 * step instead of one per frame, and which frames the sequencer finds late is unchanged. The sequencer puts each
 * connection's frames in order itself; a run keeps the order the frames came in.
 */
public final class ConnectionRunsInReader extends RunsInReader<FrameEvent, PendingFrame, SequencedRun> {
    private static final long serialVersionUID = 1L;
    /** A connection sending faster than this per watermark step sends more than one run per step. */
    static final int MAX_RUN = 1_024;

    public ConnectionRunsInReader() {
        super(MAX_RUN);
    }

    @Override
    protected String key(FrameEvent f) {
        return f.connectionId();
    }

    @Override
    protected String owner(FrameEvent f) {
        return f.nodeId();
    }

    @Override
    protected PendingFrame item(FrameEvent f) {
        return new PendingFrame(f.seq(), f.eventTimeMillis(), f.type());
    }

    @Override
    protected SequencedRun run(String node, String connection, List<PendingFrame> frames) {
        return new SequencedRun(node, connection, frames.toArray(new PendingFrame[0]));
    }
}
