package qp.agent.insight;

import java.util.Arrays;

/** A growable array of primitive longs (latencies, sizes), to sort without boxing. */
final class LongList {
    private long[] values = new long[256];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    long[] array() {
        return values;
    }

    LatencySummary summary() {
        return LatencySummary.of(Arrays.copyOf(values, size), size);
    }
}
