package qp.job.analytics;

import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/** Frame events for tests, with the fields a test does not care about filled in. */
public final class TestFrames {
    private TestFrames() {
    }

    public static FrameEvent frame(String node, String type, long eventTime, long latencyMicros, int rawBytes,
            String outcome) {
        return new FrameEvent(node, "c1", 0, "s1", type, null, Direction.IN, rawBytes + 7, rawBytes, false,
                latencyMicros, outcome, 1, eventTime);
    }

    public static FrameEvent frame(String node, String type, long eventTime, long latencyMicros) {
        return frame(node, type, eventTime, latencyMicros, 100, FrameEvent.OK);
    }

    public static FrameEvent onConnection(String node, String connection, long seq, String type, Direction direction,
            long eventTime) {
        return new FrameEvent(node, connection, seq, "s1", type, null, direction, 107, 100, false, 0, FrameEvent.OK,
                1, eventTime);
    }
}
