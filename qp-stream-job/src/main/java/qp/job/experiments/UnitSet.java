package qp.job.experiments;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import qp.protocol.events.FrameEvent;

/**
 * The distinct units (sessions) of an arm and bucket in a window, as 64-bit hashes in an open-addressing table:
 * 8 bytes a session in state instead of its id. Two of 10,000 sessions share a hash with probability about 3·10⁻¹²,
 * so the count is exact for any window the job sees.
 */
final class UnitSet {
    private static final long EMPTY = 0;

    private long[] table = new long[8];
    private int size;

    /** The unit of a frame: its session, or its connection until the session is known. */
    static long unitOf(FrameEvent f) {
        return f.sessionId() != null ? hash('s', f.sessionId()) : hash('c', f.connectionId());
    }

    void add(long unit) {
        long h = unit == EMPTY ? 1 : unit; // 0 marks a free slot
        if (2 * (size + 1) > table.length) {
            grow();
        }
        int mask = table.length - 1;
        for (int i = (int) mix(h) & mask; ; i = (i + 1) & mask) {
            if (table[i] == EMPTY) {
                table[i] = h;
                size++;
                return;
            }
            if (table[i] == h) {
                return;
            }
        }
    }

    void addAll(UnitSet other) {
        for (long u : other.table) {
            if (u != EMPTY) {
                add(u);
            }
        }
    }

    int size() {
        return size;
    }

    /** The units, in no particular order. */
    long[] toArray() {
        long[] out = new long[size];
        int n = 0;
        for (long u : table) {
            if (u != EMPTY) {
                out[n++] = u;
            }
        }
        return out;
    }

    UnitSet copy() {
        UnitSet c = new UnitSet();
        c.table = Arrays.copyOf(table, table.length);
        c.size = size;
        return c;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long u : old) {
            if (u != EMPTY) {
                add(u);
            }
        }
    }

    /** FNV-1a over the kind and the id's UTF-8 bytes, finished with MurmurHash3's fmix64. */
    static long hash(char kind, String id) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ kind) * 0x100000001b3L;
        for (byte b : (id == null ? "" : id).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
