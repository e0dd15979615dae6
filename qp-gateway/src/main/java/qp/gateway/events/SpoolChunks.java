package qp.gateway.events;

import java.util.List;

/**
 * Reads the spool for sending, oldest first, in chunks that follow each other without waiting for
 * acknowledgements. Safe for the order because an outage aborts the producer and {@link #rewind()} reads again
 * from the oldest row still in the spool, which is the oldest unacknowledged one.
 */
final class SpoolChunks {
    static final int CHUNK = 5000;

    private final Spool spool;
    /** the newest row handed to the producer; the next chunk starts after it */
    private long sentUpTo;

    SpoolChunks(Spool spool) {
        this.spool = spool;
    }

    /** The next rows after those already handed out; empty when every row is in flight. */
    List<OutRecord> next() throws SpoolException {
        return spool.head(sentUpTo, CHUNK);
    }

    void handedOut(OutRecord row) {
        sentUpTo = row.lseq();
    }

    void rewind() {
        sentUpTo = 0;
    }
}
