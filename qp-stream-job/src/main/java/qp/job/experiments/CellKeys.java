package qp.job.experiments;

/**
 * A cell of experiment statistics, (arm, bucket, type, direction, payload band), packed in one long, so that the
 * window's maps are keyed by primitives rather than by records of strings. Arm and type are indexes into the
 * accumulator's table of names. Bits: 0-31 bucket, 32-33 band, 34 direction, 36-47 type, 48-59 arm.
 */
final class CellKeys {
    /** Distinct arm and type names one accumulator can hold (12 bits each). */
    static final int MAX_NAMES = 1 << 12;
    private static final long BUCKET_BITS = 0xFFFF_FFFFL;

    private CellKeys() {
    }

    static long cell(int arm, int bucket, int type, int direction, int band) {
        return ((long) arm << 48) | ((long) type << 36) | ((long) direction << 34) | ((long) band << 32)
                | (bucket & BUCKET_BITS);
    }

    /** The cell without its bucket: the stratum of an arm that latency percentiles are taken over. */
    static long stratum(long cell) {
        return cell & ~BUCKET_BITS;
    }

    /** An arm and bucket, the key of distinct sessions. */
    static long unit(int arm, int bucket) {
        return cell(arm, bucket, 0, 0, 0);
    }

    static int arm(long key) {
        return (int) (key >>> 48) & (MAX_NAMES - 1);
    }

    static int type(long key) {
        return (int) (key >>> 36) & (MAX_NAMES - 1);
    }

    static int direction(long key) {
        return (int) (key >>> 34) & 1;
    }

    static int band(long key) {
        return (int) (key >>> 32) & 3;
    }

    static int bucket(long key) {
        return (int) key;
    }
}
