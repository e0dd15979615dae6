package qp.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import qp.protocol.json.QpJson;

/**
 * What each phase sends, as weights over a few kinds of request, and the payloads: small ones for normal traffic, and
 * 8-32 KiB of repetitive JSON-like text (orders with a few fields) for the compressible phase, built once per run.
 */
final class TrafficMix {
    enum Kind { ECHO, PING, DATA, STREAM, ROUTED, ECHO_LARGE, DATA_LARGE }

    private static final int[] NORMAL = {45, 15, 20, 5, 15, 0, 0};
    private static final int[] COMPRESSIBLE = {5, 0, 0, 0, 10, 40, 45};
    private static final int[] ROUTED_HEAVY = {30, 10, 10, 5, 45, 0, 0};

    private final List<ObjectNode> smallArgs = new ArrayList<>();
    private final List<byte[]> smallData = new ArrayList<>();
    private final List<JsonNode> largeArgs = new ArrayList<>();
    private final List<byte[]> largeData = new ArrayList<>();

    TrafficMix(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 16; i++) {
            smallArgs.add(QpJson.object().put("q", "x".repeat(32 + r.nextInt(448))).put("n", i));
            byte[] d = new byte[256 + r.nextInt(1792)];
            for (int j = 0; j < d.length; j++) {
                d[j] = (byte) ('a' + r.nextInt(26));
            }
            smallData.add(d);
            String text = compressibleJson(r, 8 * 1024 + r.nextInt(24 * 1024));
            try {
                largeArgs.add(QpJson.tree(text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            largeData.add(compressibleJson(r, 8 * 1024 + r.nextInt(24 * 1024)).getBytes(StandardCharsets.UTF_8));
        }
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

    Kind pick(Phase phase, boolean routedHeavy, SplittableRandom r) {
        int[] w = routedHeavy ? ROUTED_HEAVY : switch (phase) {
            case COMPRESSIBLE -> COMPRESSIBLE;
            case SLOW_UPSTREAM -> ROUTED_HEAVY;
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
}
