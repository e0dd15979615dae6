package qp.gateway.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/** A {@link Spool} in memory, with the disk spool's bound and order, and a disk error on demand. */
final class MemorySpool implements Spool {
    private final TreeMap<Long, OutRecord> rows = new TreeMap<>();
    private final long maxBytes;
    private long bytes;
    /** the next append fails as a full or broken disk would */
    boolean failNextAppend;

    MemorySpool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public List<OutRecord> append(Collection<OutRecord> records) throws SpoolException {
        if (failNextAppend) {
            failNextAppend = false;
            throw new SpoolException("test: cannot write " + records.size() + " events to the memory spool", null);
        }
        List<OutRecord> rejected = new ArrayList<>();
        for (OutRecord r : records) {
            if (bytes + r.spoolBytes() > maxBytes) {
                rejected.add(r);
                continue;
            }
            OutRecord old = rows.put(r.lseq(), r);
            bytes += r.spoolBytes() - (old == null ? 0 : old.spoolBytes());
        }
        return rejected;
    }

    @Override
    public List<OutRecord> head(long afterLseq, int max) {
        List<OutRecord> out = new ArrayList<>();
        for (OutRecord r : rows.tailMap(afterLseq, false).values()) {
            if (out.size() == max) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    @Override
    public void delete(Collection<OutRecord> records) {
        for (OutRecord r : records) {
            OutRecord old = rows.remove(r.lseq());
            if (old != null) {
                bytes -= old.spoolBytes();
            }
        }
    }

    @Override
    public long maxLseq() {
        return rows.isEmpty() ? 0 : rows.lastKey();
    }

    @Override
    public long count() {
        return rows.size();
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
