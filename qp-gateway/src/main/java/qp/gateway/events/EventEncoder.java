package qp.gateway.events;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.FrameEventJson;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;

/**
 * Turns an event taken from the memory queue into the record that goes to Kafka or the spool, numbering it
 * ({@code lseq}) in the order events leave the queue. Runs on the sender thread, never on a session's.
 */
final class EventEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(EventEncoder.class);

    private final EmitterMeters meters;
    private long nextLseq;

    /** {@code firstLseq}: after what an earlier run left in the spool, so new events go behind it. */
    EventEncoder(long firstLseq, EmitterMeters meters) {
        this.nextLseq = firstLseq;
        this.meters = meters;
    }

    /** The record, or null when the event cannot be written (dropped and counted as {@code rejected}). */
    OutRecord encode(Object event) {
        try {
            if (event instanceof FrameEvent f) {
                return new OutRecord(nextLseq++, OutRecord.FRAME, f.eventTimeMillis(), utf8(f.connectionId()),
                        FrameEventJson.write(f)); // streaming: databind's serializer look-up cost ~1 µs per event
            }
            NodeMetrics m = (NodeMetrics) event;
            return new OutRecord(nextLseq++, OutRecord.NODE_METRICS, m.timestampMillis(), utf8(m.nodeId()),
                    QpJson.bytes(m));
        } catch (RuntimeException e) {
            meters.drop(DropReason.REJECTED, 1);
            LOG.warn("cannot write an event as JSON; it is dropped and counted: {}", e.getMessage());
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
