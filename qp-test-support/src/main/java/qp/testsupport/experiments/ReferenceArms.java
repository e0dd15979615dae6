package qp.testsupport.experiments;

import java.nio.charset.StandardCharsets;

/**
 * The session arm assignment re-derived in the test from its description in the contract (FNV-1a over the bytes of
 * "experiment id, a zero byte, session id", seeded, finished with MurmurHash3's fmix64; the top 53 bits as a
 * position in [0, 1), treatment below the share; the bucket from a second seed, modulo 8), so that what a test
 * expects of the gateway does not come from the code the gateway runs.
 */
public final class ReferenceArms {
    private static final long POSITION_SEED = 0x9E3779B97F4A7C15L;
    private static final long BUCKET_SEED = 0xC2B2AE3D27D4EB4FL;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ReferenceArms() {
    }

    public static boolean treatment(String experimentId, String sessionId, double share) {
        double position = (hash(experimentId, sessionId, POSITION_SEED) >>> 11) / (double) (1L << 53);
        return position < share;
    }

    public static String arm(String experimentId, String sessionId, double share) {
        return treatment(experimentId, sessionId, share) ? "treatment" : "control";
    }

    public static int bucket(String experimentId, String sessionId) {
        return (int) Long.remainderUnsigned(hash(experimentId, sessionId, BUCKET_SEED), 8);
    }

    private static long hash(String experimentId, String sessionId, long seed) {
        long h = FNV_OFFSET ^ seed;
        for (byte b : (experimentId + "\0" + sessionId).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
