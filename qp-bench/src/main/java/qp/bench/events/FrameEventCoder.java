package qp.bench.events;

import qp.protocol.events.FrameEvent;

/** One candidate encoding of a frame event, as the benchmark compares them: bytes out, the whole event back. */
interface FrameEventCoder {
    byte[] encode(FrameEvent e);

    FrameEvent decode(byte[] value);
}
