package qp.gateway.events;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The on-disk spool: events waiting for Kafka, in emission order, bounded in bytes, surviving a restart.
 *
 * <p>Why SQLite and not an append-only segment log: the spool is not append-only. When Kafka goes away the events
 * that were in flight come back failed <em>after</em> newer events may already have been spooled, and they must
 * still be sent first; a table keyed by the emission sequence number ({@link OutRecord#lseq()}) puts them in place
 * by construction, where a log would need a re-sort or a second file. Kafka acknowledges per record, so a partly
 * delivered chunk leaves holes to delete, which a table does by key and a log cannot. WAL mode with
 * {@code synchronous=NORMAL} makes every committed batch survive a process crash (not necessarily a power cut)
 * at the cost of one write per batch of events, not per event; the sender writes in batches, so the spool takes
 * well over 100k events/s on this machine. The driver is already in the gateway's POM.
 *
 * <p>One emitter per directory: a lock file makes a second one fail with a clear error. Only the sender thread
 * calls this class.
 */
final class DiskSpool implements Spool {
    /** Per-row allowance for SQLite's own bytes (row header, index entry), counted against the bound. */
    static final int ROW_OVERHEAD_BYTES = 32;
    static final String FILE_NAME = "spool.db";

    private final Path dir;
    private final long maxBytes;
    private final Connection db;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final PreparedStatement head;
    private long count;
    private long bytes;

    DiskSpool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                lockChannel.close();
                throw new IllegalStateException("the event spool " + dir + " is in use by another emitter;"
                        + " give each gateway its own spool directory");
            }
            lock = l;
            db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE_NAME));
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA auto_vacuum=INCREMENTAL"); // only takes effect on a new file: lets the space go back
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
                        + " ts INTEGER NOT NULL, k BLOB, v BLOB NOT NULL)");
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(length(v) + coalesce(length(k), 0)), 0)"
                        + " FROM spool")) {
                    rs.next();
                    count = rs.getLong(1);
                    bytes = rs.getLong(2) + count * ROW_OVERHEAD_BYTES;
                }
            }
            db.setAutoCommit(false);
            insert = db.prepareStatement("INSERT OR REPLACE INTO spool (id, kind, ts, k, v) VALUES (?, ?, ?, ?, ?)");
            delete = db.prepareStatement("DELETE FROM spool WHERE id = ?");
            head = db.prepareStatement("SELECT id, kind, ts, k, v FROM spool WHERE id > ? ORDER BY id LIMIT ?");
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot open the event spool in " + dir + ": " + e.getMessage()
                    + "; check that the directory is writable and not full", e);
        }
    }

    /**
     * Stores the records that fit under the bound, in one transaction, and returns those that did not fit.
     * Throws when the disk write fails; then nothing of this call was stored.
     */
    @Override
    public List<OutRecord> append(Collection<OutRecord> records) throws SpoolException {
        try {
            return appendRows(records);
        } catch (SQLException e) {
            throw new SpoolException("cannot write " + records.size() + " events to the spool in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private List<OutRecord> appendRows(Collection<OutRecord> records) throws SQLException {
        List<OutRecord> rejected = new ArrayList<>();
        long addedBytes = 0;
        int added = 0;
        try {
            for (OutRecord r : records) {
                long size = r.spoolBytes();
                if (bytes + addedBytes + size > maxBytes) {
                    rejected.add(r);
                    continue;
                }
                insert.setLong(1, r.lseq());
                insert.setInt(2, r.kind());
                insert.setLong(3, r.timestampMillis());
                insert.setBytes(4, r.key());
                insert.setBytes(5, r.value());
                insert.addBatch();
                addedBytes += size;
                added++;
            }
            if (added > 0) {
                insert.executeBatch();
                db.commit();
            }
        } catch (SQLException e) {
            insert.clearBatch();
            db.rollback();
            throw e;
        }
        bytes += addedBytes;
        count += added;
        return rejected;
    }

    @Override
    public List<OutRecord> head(long afterLseq, int max) throws SpoolException {
        try {
            return headRows(afterLseq, max);
        } catch (SQLException e) {
            throw new SpoolException("cannot read the event spool in " + dir + ": " + e.getMessage(), e);
        }
    }

    private List<OutRecord> headRows(long afterLseq, int max) throws SQLException {
        List<OutRecord> out = new ArrayList<>();
        head.setLong(1, afterLseq);
        head.setInt(2, max);
        try (ResultSet rs = head.executeQuery()) {
            while (rs.next()) {
                out.add(new OutRecord(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4), rs.getBytes(5)));
            }
        }
        db.commit(); // ends the read transaction so the WAL can be checkpointed
        return out;
    }

    @Override
    public void delete(Collection<OutRecord> records) throws SpoolException {
        if (records.isEmpty()) {
            return;
        }
        try {
            deleteRows(records);
        } catch (SQLException e) {
            throw new SpoolException("cannot delete " + records.size() + " delivered events from the spool in "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    private void deleteRows(Collection<OutRecord> records) throws SQLException {
        long freed = 0;
        try {
            for (OutRecord r : records) {
                delete.setLong(1, r.lseq());
                delete.addBatch();
                freed += r.spoolBytes();
            }
            delete.executeBatch();
            db.commit();
        } catch (SQLException e) {
            delete.clearBatch();
            db.rollback();
            throw e;
        }
        count -= records.size();
        bytes -= freed;
        if (count == 0) {
            bytes = 0;
            compact();
        }
    }

    @Override
    public long maxLseq() throws SpoolException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM spool")) {
            rs.next();
            long max = rs.getLong(1);
            db.commit();
            return max;
        } catch (SQLException e) {
            throw new SpoolException("cannot read the event spool in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    /** Gives the disk space of a drained spool back (pages to the OS, WAL truncated). */
    private void compact() {
        try (Statement s = db.createStatement()) {
            db.commit();
            db.setAutoCommit(true);
            s.execute("PRAGMA incremental_vacuum");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // only disk space is at stake; the next drain tries again
        } finally {
            try {
                db.setAutoCommit(false);
            } catch (SQLException ignored) {
                // the next statement reports a broken connection
            }
        }
    }

    @Override
    public void close() {
        try {
            db.commit();
            insert.close();
            delete.close();
            head.close();
            db.close();
        } catch (SQLException e) {
            // committed batches are already on disk
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
