package qp.protocol.experiments;

import java.nio.charset.StandardCharsets;

/**
 * The randomization of experiments, declared once: which arm and which variance bucket a unit falls in. Everything
 * is a pure function of the experiment id and the unit, so a gateway restart, the job and the agent all agree
 * without sharing state, and a session keeps its arm for the whole experiment.
 */
public final class ArmAssignment {
    /** Units are spread over this many buckets per arm; the agent's interval treats buckets as replicates. */
    public static final int BUCKETS = 8;

    private ArmAssignment() {
    }

    /** A uniform position in [0, 1) of a unit in an experiment: treatment when below the treatment share. */
    public static double position(String experimentId, String unitId) {
        return (hash(experimentId, unitId, 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    /**
     * The arm of a session under a session-level experiment. Raising the share (a ramp) only moves sessions from
     * control to treatment, never back.
     */
    public static Arm sessionArm(String experimentId, String sessionId, double treatmentShare) {
        return position(experimentId, sessionId) < treatmentShare ? Arm.TREATMENT : Arm.CONTROL;
    }

    /** The variance bucket of a session, 0..BUCKETS-1: independent of its arm (a second hash). */
    public static int sessionBucket(String experimentId, String sessionId) {
        return (int) Long.remainderUnsigned(hash(experimentId, sessionId, 0xC2B2AE3D27D4EB4FL), BUCKETS);
    }

    /** The block a moment falls in under switchback (0 for moments before the start). */
    public static long block(long startedAtMillis, long blockMillis, long nowMillis) {
        return nowMillis <= startedAtMillis ? 0 : (nowMillis - startedAtMillis) / blockMillis;
    }

    /**
     * The arm of the whole node in a switchback block. Blocks come in pairs (0-1, 2-3, ...); each pair holds one block
     * of each arm, in an order drawn from the experiment id and the pair's number.
     */
    public static Arm switchbackArm(String experimentId, long block) {
        boolean treatmentFirst = (hash(experimentId, Long.toString(block / 2), 0x165667B19E3779F9L) & 1) == 1;
        boolean firstOfPair = block % 2 == 0;
        return treatmentFirst == firstOfPair ? Arm.TREATMENT : Arm.CONTROL;
    }

    /** FNV-1a over "experiment \0 unit", finished with MurmurHash3's fmix64 so that every bit depends on every byte. */
    static long hash(String experimentId, String unitId, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : experimentId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0) * 0x100000001b3L;
        for (byte b : unitId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
