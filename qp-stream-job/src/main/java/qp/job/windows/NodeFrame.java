package qp.job.windows;

import qp.protocol.events.FrameEvent;

/**
 * What the per-node windows read of a frame (keyed by node): its type for the type mix, its sizes, latency and whether
 * it was an error. The event time travels as the record's timestamp. About a third of a whole frame event's bytes on
 * the keyed edge ({@link NodeFrameSerializer}).
 */
public record NodeFrame(String nodeId, String type, int wireBytes, int rawBytes, long latencyMicros, boolean error) {

    public static NodeFrame of(FrameEvent f) {
        return new NodeFrame(f.nodeId(), f.type(), f.wireBytes(), f.rawBytes(), f.latencyMicros(), f.isError());
    }
}
