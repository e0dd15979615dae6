package qp.agent.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import qp.protocol.json.QpJson;

/**
 * What a node's traffic looked like over its recent windows: enough to tell whether a change that failed before
 * deserves another try. The traffic "changed" when the frame rate or the bytes per frame moved by more than a factor
 * of two, or the message-type mix moved by more than a fifth of its frames (total variation distance &gt; 0.2).
 *
 * @param framesPerSec  frames per second
 * @param bytesPerFrame wire bytes per frame
 * @param typeMix       share of frames per message type (sums to 1)
 */
public record TrafficProfile(double framesPerSec, double bytesPerFrame, Map<String, Double> typeMix) {
    public static final double RATE_FACTOR = 2.0;
    public static final double BYTES_FACTOR = 2.0;
    public static final double MIX_DISTANCE = 0.2;

    /** Null when the traffic is alike, else the sentence that says what changed. */
    public String changeFrom(TrafficProfile before) {
        if (factor(framesPerSec, before.framesPerSec) > RATE_FACTOR) {
            return String.format("frame rate %.0f/s then, %.0f/s now", before.framesPerSec, framesPerSec);
        }
        if (factor(bytesPerFrame, before.bytesPerFrame) > BYTES_FACTOR) {
            return String.format("%.0f bytes per frame then, %.0f now", before.bytesPerFrame, bytesPerFrame);
        }
        double d = mixDistance(before.typeMix, typeMix);
        if (d > MIX_DISTANCE) {
            return String.format("type mix moved by %.0f%% of frames", 100 * d);
        }
        return null;
    }

    static double factor(double a, double b) {
        if (a <= 0 || b <= 0) {
            return a == b ? 1 : Double.POSITIVE_INFINITY;
        }
        return Math.max(a, b) / Math.min(a, b);
    }

    /** Total variation distance: half the sum of the absolute differences of the shares. */
    static double mixDistance(Map<String, Double> a, Map<String, Double> b) {
        Set<String> types = new HashSet<>(a.keySet());
        types.addAll(b.keySet());
        double sum = 0;
        for (String t : types) {
            sum += Math.abs(a.getOrDefault(t, 0.0) - b.getOrDefault(t, 0.0));
        }
        return sum / 2;
    }

    public String json() {
        return QpJson.string(this);
    }

    /** Null for null or unreadable text (an experiment recorded without a profile never blocks a retry). */
    public static TrafficProfile parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return QpJson.read(json.getBytes(StandardCharsets.UTF_8), TrafficProfile.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** Shares from counts. */
    public static Map<String, Double> shares(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, total == 0 ? 0 : (double) v / total));
        return out;
    }

    public static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() { };
}
