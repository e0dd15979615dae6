package qp.gateway.events;

import java.util.Collection;
import java.util.List;

/**
 * Where events wait while Kafka is away: in emission order ({@link OutRecord#lseq()}), bounded in bytes.
 * {@link DiskSpool} is the real one (it survives a restart); tests also use an in-memory one. Only the sender
 * thread calls it.
 */
interface Spool extends AutoCloseable {

    /** Stores the records that fit under the bound and returns those that did not; on an error, none is stored. */
    List<OutRecord> append(Collection<OutRecord> records) throws SpoolException;

    /** The oldest records after {@code afterLseq}, at most {@code max}, in emission order. */
    List<OutRecord> head(long afterLseq, int max) throws SpoolException;

    /** Removes delivered records; on an error none is removed (they are sent again: duplicates, not losses). */
    void delete(Collection<OutRecord> records) throws SpoolException;

    /** The highest lseq held, 0 when empty: a restarted emitter numbers new events after it. */
    long maxLseq() throws SpoolException;

    long count();

    /** Bytes counted against the bound ({@link OutRecord#spoolBytes()}). */
    long bytes();

    /** Where it is, for messages: a directory, or a description. */
    String location();

    @Override
    void close();
}
