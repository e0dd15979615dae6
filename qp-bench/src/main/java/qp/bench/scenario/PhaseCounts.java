package qp.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import qp.protocol.json.QpJson;

/**
 * What the scenario did during one phase: frames sent by type and op ({@code COMMAND:echo}, {@code DATA}), replies
 * by kind ({@code ACK}, {@code ERROR:UPSTREAM_ERROR}), closes by code, OVERLOADED refusals, reply bytes, round trips,
 * and the session ids of its connections (so that a gateway's frame events can be matched to the phase).
 */
public final class PhaseCounts {
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> replies = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder replyWireBytes = new LongAdder();
    private final LongAdder streamFrames = new LongAdder();
    private final LongAdder compressedReplies = new LongAdder();
    private final Recorder roundTripMicros = new Recorder(2);
    private final ConcurrentLinkedQueue<String> sessions = new ConcurrentLinkedQueue<>();

    void sent(String kind) {
        sent.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void reply(String kind, int wireBytes, boolean compressed, long roundTripMicros) {
        replies.computeIfAbsent(kind, k -> new LongAdder()).increment();
        replyWireBytes.add(wireBytes);
        if (compressed) {
            compressedReplies.increment();
        }
        if (roundTripMicros >= 0) {
            this.roundTripMicros.recordValue(roundTripMicros);
        }
    }

    void stream() {
        streamFrames.increment();
    }

    void closed(int code) {
        closes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void overloaded() {
        overloaded.increment();
    }

    long snapshotOverloaded() {
        return overloaded.sum();
    }

    /** An op the pacer could not send because the connection had its maximum in flight. */
    void skipped() {
        skipped.increment();
    }

    void session(String id) {
        sessions.add(id);
    }

    /** A consistent copy, taken once the phase's replies are in. */
    public Snapshot snapshot() {
        var h = roundTripMicros.getIntervalHistogram();
        return new Snapshot(sum(sent), sum(replies), sum(closes), overloaded.sum(), skipped.sum(), replyWireBytes.sum(),
                compressedReplies.sum(), streamFrames.sum(), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50),
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99), List.copyOf(sessions));
    }

    private static <K extends Comparable<K>> Map<K, Long> sum(Map<K, LongAdder> m) {
        Map<K, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The counts of a finished phase. */
    public record Snapshot(Map<String, Long> sent, Map<String, Long> replies, Map<Integer, Long> closes, long overloaded,
                           long skipped, long replyWireBytes, long compressedReplies, long streamFrames,
                           long p50Micros, long p99Micros, List<String> sessions) {
        public long totalSent() {
            return sent.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalReplies() {
            return replies.values().stream().mapToLong(Long::longValue).sum();
        }

        public long errors() {
            return replies.entrySet().stream().filter(e -> e.getKey().startsWith("ERROR")).mapToLong(Map.Entry::getValue).sum();
        }

        public String line() {
            return String.format(Locale.ROOT, "sent %d %s; replies %d (errors %d), OVERLOADED %d, closes %s, "
                            + "round trip p50 %.1f ms p99 %.1f ms, %.0f B per reply on the wire (%d compressed)%s",
                    totalSent(), sent, totalReplies(), errors(), overloaded, closes, p50Micros / 1000.0, p99Micros / 1000.0,
                    totalReplies() == 0 ? 0.0 : (double) replyWireBytes / totalReplies(), compressedReplies,
                    skipped > 0 ? ", " + skipped + " not sent (in-flight cap)" : "");
        }

        public ObjectNode toJson() {
            ObjectNode n = QpJson.object();
            ObjectNode s = n.putObject("sent");
            sent.forEach(s::put);
            ObjectNode r = n.putObject("replies");
            replies.forEach(r::put);
            ObjectNode c = n.putObject("closes");
            closes.forEach((k, v) -> c.put(String.valueOf(k), v));
            n.put("overloaded", overloaded).put("skipped", skipped).put("replyWireBytes", replyWireBytes)
                    .put("compressedReplies", compressedReplies).put("streamFrames", streamFrames)
                    .put("p50Micros", p50Micros).put("p99Micros", p99Micros);
            return n;
        }
    }
}
