package qp.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import qp.protocol.events.Direction;
import qp.protocol.events.FrameEvent;

/**
 * A generated frame stream with known incidents: steady traffic on every node (bounded latency noise, so nothing but
 * an injection is 3σ away), plus latency spikes, error bursts and type-mix shifts in given windows of given nodes.
 * The expected results are computed from the generated events, not written down by hand.
 */
final class Traffic {
    enum Kind { LATENCY_SPIKE, ERROR_BURST, TYPE_MIX_SHIFT }

    /** An incident in windows [fromWindow, toWindow) of one node. */
    record Injection(Kind kind, String nodeId, int fromWindow, int toWindow) {
    }

    static final String[] TYPES = {"COMMAND", "DATA", "ACK", "HEARTBEAT"};
    private static final double[] BASE_MIX = {0.5, 0.3, 0.1, 0.1};
    private static final double[] SHIFTED_MIX = {0.05, 0.85, 0.05, 0.05};
    private static final long[] BASE_LATENCY_MICROS = {2_000, 3_000, 500, 300};

    final long t0Millis;
    final long windowMillis;
    final int windows;
    final List<String> nodes;
    final int framesPerWindow;
    final List<Injection> injections;
    private final Random random;

    Traffic(long t0Millis, long windowMillis, int windows, List<String> nodes, int framesPerWindow,
            List<Injection> injections, long seed) {
        this.t0Millis = t0Millis;
        this.windowMillis = windowMillis;
        this.windows = windows;
        this.nodes = nodes;
        this.framesPerWindow = framesPerWindow;
        this.injections = injections;
        this.random = new Random(seed);
    }

    /** The events in event-time order, each node on 4 connections. */
    List<FrameEvent> events() {
        List<FrameEvent> out = new ArrayList<>();
        Map<String, long[]> seqs = new java.util.HashMap<>();
        for (int w = 0; w < windows; w++) {
            for (String node : nodes) {
                boolean spike = active(Kind.LATENCY_SPIKE, node, w);
                boolean burst = active(Kind.ERROR_BURST, node, w);
                double[] mix = active(Kind.TYPE_MIX_SHIFT, node, w) ? SHIFTED_MIX : BASE_MIX;
                for (int i = 0; i < framesPerWindow; i++) {
                    int type = pick(mix);
                    String conn = node + "-c" + random.nextInt(4);
                    long seq = seqs.computeIfAbsent(conn, c -> new long[1])[0]++;
                    long latency = (long) (BASE_LATENCY_MICROS[type] * (0.8 + 0.4 * random.nextDouble()));
                    if (spike && type == 0) {
                        latency *= 8;
                    }
                    boolean error = burst ? random.nextDouble() < 0.3 : random.nextDouble() < 0.005;
                    int raw = 100 + random.nextInt(400);
                    long time = t0Millis + w * windowMillis + (long) (random.nextDouble() * windowMillis);
                    out.add(new FrameEvent(node, conn, seq, "s-" + conn, TYPES[type], type == 0 ? "echo" : null,
                            type == 2 ? Direction.OUT : Direction.IN, raw + 6, raw, false, latency,
                            error ? "UNKNOWN_OP" : FrameEvent.OK, 1, time));
                }
            }
        }
        out.sort(Comparator.comparingLong(FrameEvent::eventTimeMillis));
        return out;
    }

    /**
     * The same events in the order a producer sends them: out of order by up to {@code maxDisorderMillis}, never
     * more, so none of them is late with a larger watermark delay.
     */
    static List<FrameEvent> disorder(List<FrameEvent> events, long maxDisorderMillis, long seed) {
        Random r = new Random(seed);
        record Keyed(double at, FrameEvent e) {
        }
        List<Keyed> keyed = new ArrayList<>();
        for (FrameEvent e : events) {
            keyed.add(new Keyed(e.eventTimeMillis() + r.nextDouble() * maxDisorderMillis, e));
        }
        keyed.sort(Comparator.comparingDouble(Keyed::at));
        return keyed.stream().map(Keyed::e).toList();
    }

    boolean active(Kind kind, String node, int window) {
        return injections.stream().anyMatch(i -> i.kind() == kind && i.nodeId().equals(node)
                && window >= i.fromWindow() && window < i.toWindow());
    }

    int windowOf(long millis) {
        return (int) ((millis - t0Millis) / windowMillis);
    }

    private int pick(double[] mix) {
        double x = random.nextDouble();
        for (int i = 0; i < mix.length; i++) {
            x -= mix[i];
            if (x < 0) {
                return i;
            }
        }
        return mix.length - 1;
    }

    /** Exact count, errors, bytes and latencies of one node/type (or node/"*") window. */
    static final class Expected {
        long count;
        long errors;
        long bytes;
        final List<Long> latencies = new ArrayList<>();
        final Map<String, Long> typeMix = new java.util.TreeMap<>();

        void add(FrameEvent e) {
            count++;
            errors += e.isError() ? 1 : 0;
            bytes += e.wireBytes();
            latencies.add(e.latencyMicros());
            typeMix.merge(e.type(), 1L, Long::sum);
        }

        /**
         * The exact latencies between which any usual definition of the q-quantile lies: from the value at rank
         * floor(q·(n-1)) (DDSketch's) to the nearest-rank value ceil(q·n).
         */
        long[] quantileRange(double q) {
            List<Long> sorted = latencies.stream().sorted().toList();
            int low = (int) Math.floor(q * (sorted.size() - 1));
            int high = Math.max(0, (int) Math.ceil(q * sorted.size()) - 1);
            return new long[] {sorted.get(Math.min(low, high)), sorted.get(Math.max(low, high))};
        }
    }

    /** Key "node|type|windowStart" (type "*" for the node row) to its expected values. */
    static Map<String, Expected> expectedWindows(List<FrameEvent> events, long windowMillis) {
        Map<String, Expected> out = new java.util.HashMap<>();
        for (FrameEvent e : events) {
            long start = e.eventTimeMillis() - Math.floorMod(e.eventTimeMillis(), windowMillis);
            out.computeIfAbsent(e.nodeId() + "|" + e.type() + "|" + start, k -> new Expected()).add(e);
            out.computeIfAbsent(e.nodeId() + "|*|" + start, k -> new Expected()).add(e);
        }
        return out;
    }

    static EnumMap<Kind, Integer> counts(List<Injection> injections) {
        EnumMap<Kind, Integer> m = new EnumMap<>(Kind.class);
        injections.forEach(i -> m.merge(i.kind(), 1, Integer::sum));
        return m;
    }
}
