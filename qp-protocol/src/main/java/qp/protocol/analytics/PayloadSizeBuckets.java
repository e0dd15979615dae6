package qp.protocol.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The buckets of a payload-size histogram: powers of four from 64 B, labelled by their byte range. */
public final class PayloadSizeBuckets {
    private static final long[] UPPER_EXCLUSIVE = {64, 256, 1024, 4096, 16_384, 65_536};
    public static final List<String> LABELS = List.of("0-63", "64-255", "256-1023", "1024-4095", "4096-16383",
            "16384-65535", "65536+");

    private PayloadSizeBuckets() {
    }

    public static int count() {
        return LABELS.size();
    }

    public static int index(long bytes) {
        for (int i = 0; i < UPPER_EXCLUSIVE.length; i++) {
            if (bytes < UPPER_EXCLUSIVE[i]) {
                return i;
            }
        }
        return UPPER_EXCLUSIVE.length;
    }

    /** Every bucket in order, with its count (zero included, so the shape is always the same). */
    public static Map<String, Long> toMap(long[] counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < LABELS.size(); i++) {
            m.put(LABELS.get(i), i < counts.length ? counts[i] : 0);
        }
        return m;
    }
}
