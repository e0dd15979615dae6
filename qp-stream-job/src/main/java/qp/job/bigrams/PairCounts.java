package qp.job.bigrams;

import java.util.Arrays;
import org.apache.flink.util.Collector;

/**
 * The transitions of one connection's release in one bigram window, counted per distinct pair, so that the keyed edge
 * to the bigram windows carries one record per pair and window instead of one per frame. A release has a handful of
 * message types: each gets an index (a scan of those seen, by reference first; no hashing of each frame's type), and
 * the pairs are counted in a square table of them. Pairs come out by index of FROM, then of TO (first seen first).
 */
final class PairCounts {
    private String[] types = new String[8];
    private int typeCount;
    private int[] counts = new int[types.length * types.length]; // [from * types.length + to]
    private long[] lastEventMillis = new long[counts.length];
    private boolean anyCounted;

    /** The index of a message type among those of this release, a new one if it was not seen yet. */
    int indexOf(String type) {
        for (int i = 0; i < typeCount; i++) {
            if (types[i] == type) { // the sequencer hands in one String per type where it can
                return i;
            }
        }
        for (int i = 0; i < typeCount; i++) {
            if (types[i].equals(type)) {
                return i;
            }
        }
        if (typeCount == types.length) {
            grow();
        }
        types[typeCount] = type;
        return typeCount++;
    }

    void add(int from, int to, long eventTimeMillis) {
        int k = from * types.length + to;
        counts[k]++;
        lastEventMillis[k] = eventTimeMillis;
        anyCounted = true;
    }

    /** One record per distinct pair counted since the last emit, then starts the counts afresh. */
    void emit(String nodeId, Collector<TransitionCount> out) {
        if (!anyCounted) {
            return;
        }
        for (int from = 0; from < typeCount; from++) {
            for (int to = 0; to < typeCount; to++) {
                int k = from * types.length + to;
                if (counts[k] > 0) {
                    out.collect(new TransitionCount(nodeId, types[from], types[to], lastEventMillis[k], counts[k]));
                    counts[k] = 0;
                }
            }
        }
        anyCounted = false;
    }

    private void grow() {
        int old = types.length;
        int size = old * 2;
        int[] c = new int[size * size];
        long[] l = new long[size * size];
        for (int from = 0; from < old; from++) {
            System.arraycopy(counts, from * old, c, from * size, old);
            System.arraycopy(lastEventMillis, from * old, l, from * size, old);
        }
        types = Arrays.copyOf(types, size);
        counts = c;
        lastEventMillis = l;
    }
}
