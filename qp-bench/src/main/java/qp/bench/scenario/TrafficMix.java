package qp.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import qp.protocol.json.QpJson;

/**
 * What each phase sends, as weights over a few kinds of request, and the payloads, built once per run: small ones for
 * normal traffic; for the compressible phase repetitive JSON-like text (orders with a few fields), 8-32 KiB and
 * 1-4 KiB; and 128-256 KiB of base64 of random bytes for the bulky phase.
 */
final class TrafficMix {
    enum Kind { ECHO, PING, DATA, STREAM, ROUTED, ECHO_LARGE, DATA_LARGE, ECHO_BULKY, ECHO_MEDIUM }

    private static final int[] NORMAL = {45, 15, 20, 5, 15, 0, 0, 0, 0};
    /**
     * No routed ops: their latency is the upstream's round trip, which no parameter of the gateway moves, and its tail
     * on a loaded machine made an experiment's p99 guard break by chance (BENCHMARKS.md, the demo's experiments).
     * Large payloads (8-32 KiB) are a fifth of the frames, so the p95 payload that the rule compress-large-payloads
     * reads lies among them and it proposes a threshold of 4 KiB; the medium echoes (1-4 KiB) then carry about 40% of
     * the bytes the node sends, all under that threshold: what a lower one would compress, which only a measurement of
     * the sent frames (the model's) can tell.
     */
    private static final int[] COMPRESSIBLE = {5, 5, 0, 0, 0, 10, 20, 0, 60};
    private static final int[] ROUTED_HEAVY = {30, 10, 10, 5, 45, 0, 0, 0, 0};
    /** Mostly bulky echoes, so that their strata carry the weight of the experiment's latency guard. */
    private static final int[] BULKY = {10, 10, 0, 0, 0, 0, 0, 80, 0};
    static final int MEDIUM_MIN_BYTES = 1024;
    static final int MEDIUM_MAX_BYTES = 4 * 1024;
    static final int BULKY_MIN_BYTES = 128 * 1024;
    static final int BULKY_MAX_BYTES = 256 * 1024;

    private final List<ObjectNode> smallArgs = new ArrayList<>();
    private final List<byte[]> smallData = new ArrayList<>();
    private final List<JsonNode> largeArgs = new ArrayList<>();
    private final List<byte[]> largeData = new ArrayList<>();
    private final List<JsonNode> bulkyArgs = new ArrayList<>();
    private final List<JsonNode> mediumArgs = new ArrayList<>();

    TrafficMix(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 16; i++) {
            smallArgs.add(QpJson.object().put("q", "x".repeat(32 + r.nextInt(448))).put("n", i));
            byte[] d = new byte[256 + r.nextInt(1792)];
            for (int j = 0; j < d.length; j++) {
                d[j] = (byte) ('a' + r.nextInt(26));
            }
            smallData.add(d);
            largeArgs.add(json(compressibleJson(r, 8 * 1024 + r.nextInt(24 * 1024))));
            largeData.add(compressibleJson(r, 8 * 1024 + r.nextInt(24 * 1024)).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 32; i++) {
            // the echo's reply is the args object: a little bigger than the text
            mediumArgs.add(json(compressibleJson(r, MEDIUM_MIN_BYTES + r.nextInt(MEDIUM_MAX_BYTES - MEDIUM_MIN_BYTES - 64))));
        }
        for (int i = 0; i < 8; i++) {
            bulkyArgs.add(QpJson.object().put("blob", randomBase64(r, BULKY_MIN_BYTES
                    + r.nextInt(BULKY_MAX_BYTES - BULKY_MIN_BYTES + 1))).put("n", i));
        }
    }

    private static JsonNode json(String text) {
        try {
            return QpJson.tree(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code chars} characters of base64 of random bytes: 6 bits of entropy per byte, so deflate gets ~76% at best. */
    static String randomBase64(SplittableRandom r, int chars) {
        byte[] raw = new byte[chars / 4 * 3];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) r.nextInt(256);
        }
        return Base64.getEncoder().encodeToString(raw);
    }

    /** A JSON object of about {@code bytes} bytes: a list of orders that differ in a few digits (deflate: 5-10x). */
    static String compressibleJson(SplittableRandom r, int bytes) {
        StringBuilder b = new StringBuilder(bytes + 200).append("{\"orders\":[");
        String[] cities = {"north", "south", "east", "west"};
        for (int i = 0; b.length() < bytes - 2; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"sku\":\"SKU-").append(1000 + r.nextInt(50)).append("\",\"qty\":").append(1 + r.nextInt(9))
                    .append(",\"price\":").append(10 + r.nextInt(90)).append(".99,\"currency\":\"EUR\",\"warehouse\":\"")
                    .append(cities[r.nextInt(cities.length)]).append("\",\"status\":\"confirmed\",\"tags\":[\"retail\",\"standard\"]}");
        }
        return b.append("]}").toString();
    }

    Kind pick(Phase phase, SplittableRandom r) {
        int[] w = switch (phase) {
            case COMPRESSIBLE -> COMPRESSIBLE;
            case SLOW_UPSTREAM -> ROUTED_HEAVY;
            case BULKY -> BULKY;
            default -> NORMAL;
        };
        int total = 0;
        for (int x : w) {
            total += x;
        }
        int v = r.nextInt(total);
        for (int i = 0; i < w.length; i++) {
            if (v < w[i]) {
                return Kind.values()[i];
            }
            v -= w[i];
        }
        return Kind.ECHO;
    }

    JsonNode smallArgs(SplittableRandom r) {
        return smallArgs.get(r.nextInt(smallArgs.size()));
    }

    byte[] smallData(SplittableRandom r) {
        return smallData.get(r.nextInt(smallData.size()));
    }

    JsonNode largeArgs(SplittableRandom r) {
        return largeArgs.get(r.nextInt(largeArgs.size()));
    }

    byte[] largeData(SplittableRandom r) {
        return largeData.get(r.nextInt(largeData.size()));
    }

    JsonNode mediumArgs(SplittableRandom r) {
        return mediumArgs.get(r.nextInt(mediumArgs.size()));
    }

    JsonNode bulkyArgs(SplittableRandom r) {
        return bulkyArgs.get(r.nextInt(bulkyArgs.size()));
    }
}
