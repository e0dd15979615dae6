package qp.gateway.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;

/**
 * Turns an event taken from the memory queue into the record that goes to Kafka or the spool, numbering it
 * ({@code lseq}) in the order events leave the queue. Runs on the sender thread, never on a session's.
 */
final class EventEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(EventEncoder.class);

    private final EmitterMeters meters;
    private final EventFormat format;
    private final Function<FrameEvent, byte[]> frameWriter;
    private long nextLseq;
    @SuppressWarnings("unused") // see touch
    private long touched;

    /**
     * {@code firstLseq}: after what an earlier run left in the spool, so new events go behind it. What the spool holds
     * from a run in another format is sent as it was written: readers read both.
     */
    EventEncoder(long firstLseq, EmitterMeters meters, EventFormat format) {
        this.nextLseq = firstLseq;
        this.meters = meters;
        this.format = format;
        this.frameWriter = format.frameWriter();
    }

    /**
     * Reads every event of a drained batch once before any is encoded. The events were written on the session threads'
     * cores, so the first read of each misses the cache; read back to back, the processor overlaps those misses instead
     * of stalling on each in the middle of encoding (the stalls were most of the encoder's samples under the benchmark).
     */
    void touch(List<Object> events) {
        long sum = 0;
        for (Object event : events) {
            if (event instanceof FrameEvent f) { // the first and the last fields: both cache lines of the object
                sum += f.seq() + (f.bucket() == null ? 0 : 1);
            }
        }
        touched = sum; // kept, so the reads are not optimised away
    }

    /** The record, or null when the event cannot be written (dropped and counted as {@code rejected}). */
    OutRecord encode(Object event) {
        try {
            if (event instanceof FrameEvent f) {
                return new OutRecord(nextLseq++, OutRecord.FRAME, f.eventTimeMillis(), utf8(f.connectionId()),
                        frameWriter.apply(f));
            }
            NodeMetrics m = (NodeMetrics) event;
            return new OutRecord(nextLseq++, OutRecord.NODE_METRICS, m.timestampMillis(), utf8(m.nodeId()),
                    format.nodeMetrics(m));
        } catch (RuntimeException e) {
            meters.drop(DropReason.REJECTED, 1);
            LOG.warn("cannot write an event in {}; it is dropped and counted: {}", format, e.getMessage());
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
