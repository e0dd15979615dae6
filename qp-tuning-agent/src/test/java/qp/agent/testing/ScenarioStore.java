package qp.agent.testing;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import qp.agent.store.Database;

/**
 * A scripted hour of two gateway nodes in a real store file, with known answers:
 * <ul>
 *   <li>edge-1: 60 one-second samples (100 frames/s in, 120 out, 4 connections, instance i-1 for the last 59 s),
 *       100 logged IN frames with latencies 10, 20 ... 1000 us, 5 of them UNKNOWN_OP; edge-2: 30 samples (50/50 per s,
 *       2 connections) and 10 frames at 2000 us.</li>
 *   <li>six 10 s windows per node in the last minute (edge-1: 2200 frames, 10 errors; edge-2: 1000 frames), each
 *       with a latency sketch of the logged frames' latencies (edge-1: 10, 20 ... 1000 us; edge-2: 10 at 2000 us);
 *       their percentile columns are set apart from the sketch.</li>
 *   <li>bigrams, four anomalies, six recommendations in every state, three model versions.</li>
 * </ul>
 */
public final class ScenarioStore {
    public static final long NOW = 1_796_000_000_000L;
    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private ScenarioStore() {
    }

    public static Path create(Path file) throws SQLException {
        try (Database db = Database.open(file, CLOCK)) {
            db.connection().setAutoCommit(false); // one transaction: a commit per row takes seconds on a busy disk
            fill(new StoreRows(db.connection()));
            db.connection().commit();
            db.connection().setAutoCommit(true);
        }
        return file;
    }

    static void fill(StoreRows s) throws SQLException {
        s.nodeSample("edge-1", NOW - 7_200_000, 10, 10, 1000, 1000, 1, "i-0", 1); // an earlier instance
        for (int i = 60; i >= 1; i--) {
            s.nodeSample("edge-1", NOW - i * 1000L, 100, 120, 10_000, 20_000, 4, "i-1", 3);
        }
        for (int i = 30; i >= 1; i--) {
            s.nodeSample("edge-2", NOW - i * 1000L, 50, 50, 5_000, 5_000, 2, "j-1", 1);
        }
        for (int i = 1; i <= 100; i++) {
            String type = i <= 5 ? "COMMAND" : i % 2 == 0 ? "DATA" : "COMMAND";
            s.frame("edge-1", "c" + (i % 4), i, type, "COMMAND".equals(type) ? (i <= 5 ? "nope" : "echo") : null, "IN",
                    i * 50, i * 10L, i <= 5 ? "UNKNOWN_OP" : "ok", NOW - 120_000 + i * 100L);
            s.frame("edge-1", "c" + (i % 4), 1000 + i, "ACK", null, "OUT", 20, i * 10L, "ok", NOW - 120_000 + i * 100L);
        }
        for (int i = 1; i <= 10; i++) {
            s.frame("edge-2", "d1", i, "DATA", null, "IN", 20_000, 2000, "ok", NOW - 60_000 + i * 100L);
        }
        long w = NOW - 10_000;
        s.bigram("edge-1", w - 10_000, w, "COMMAND", "ACK", 234)
                .bigram("edge-1", w - 10_000, w, "ACK", "COMMAND", 200)
                .bigram("edge-1", w - 10_000, w, "AUTH", "ACK", 4)
                .bigram("edge-2", w - 10_000, w, "AUTH", "COMMAND", 5);
        long[] edge1Latencies = new long[100];
        for (int i = 1; i <= 100; i++) {
            edge1Latencies[i - 1] = i * 10L;
        }
        long[] edge2Latencies = new long[10];
        java.util.Arrays.fill(edge2Latencies, 2000);
        for (int k = 6; k >= 1; k--) {
            long end = NOW - k * 10_000L;
            s.window("edge-1", end - 10_000, end, 2200, 400 + k, 900, 1000, 1000, 10, edge1Latencies);
            s.window("edge-2", end - 10_000, end, 1000, 2000, 2100, 2200, 2000, 0, edge2Latencies);
        }
        s.anomaly("edge-1", "COMMAND", "LATENCY_SPIKE", "WARNING", 3.4, w - 20_000, w - 10_000,
                "p95 900 us is 3.4 sigma above the mean 300 us")
                .anomaly("edge-1", "*", "LATENCY_SPIKE", "CRITICAL", 6.1, w - 10_000, w, "p95 1500 us is 6.1 sigma")
                .anomaly("edge-1", "*", "ERROR_BURST", "WARNING", 4.0, w - 10_000, w, "error rate 5% against 0.1%")
                .anomaly("edge-2", "*", "TYPE_MIX_SHIFT", "WARNING", 1.5, w - 10_000, w, "DATA share 90% against 40%");
        s.optimization("rules-r1", "edge-1", "compression_threshold", 0, 1024, 0.9, 0.5, "bytes", "advised", null,
                "advise mode: recorded, not applied", 3, NOW - 300_000);
        s.optimization("rules-r2", "edge-1", "buffer_size", 8192, 65536, 0.95, 0.3, "latency_p95", "pending", null,
                null, 2, NOW - 200_000);
        s.optimization("rules-r3", "edge-2", "heartbeat_interval", 30000, 20000, 0.5, 0.1, "heartbeat_timeouts",
                "rejected", "confidence", "confidence 0.50 below 0.80", 1, NOW - 100_000);
        s.optimization("rules-r4", "edge-1", "max_connections", 100, 200, 0.85, 0.4, "errors", "applying", null,
                null, 1, NOW - 3_700_000)
                .changed("rules-r4", "verified", 10.0, 5.0, NOW - 3_600_000, NOW - 3_000_000,
                        "node edge-1 | max_connections 100 -> 200 | expected -40% errors, observed -50% | kept");
        s.optimization("rules-r5", "edge-2", "buffer_size", 8192, 16384, 0.82, 0.25, "latency_p95", "applying", null,
                null, 1, NOW - 2_000_000)
                .changed("rules-r5", "rolled_back", 1000.0, 1500.0, NOW - 1_900_000, NOW - 1_800_000,
                        "node edge-2 | buffer_size 8192 -> 16384 | expected -25% latency_p95, observed +50% | rolled back");
        s.optimization("rules-r6", "edge-2", "compression_threshold", 0, 512, 0.85, 0.25, "bytes", "dry_run", null,
                "dry run: would apply", 1, NOW - 50_000);
        s.model("latency", "edge-1", "latency/edge-1/v1", NOW - 10_800_000, 0.81, true,
                "{\"payload_size\":0.2,\"connections\":0.5}")
                .model("latency", "edge-1", "latency/edge-1/v2", NOW - 3_600_000, 0.93, true,
                        "{\"payload_size\":0.6,\"connections\":0.3,\"type_mix\":0.05}")
                .model("traffic-anomaly", "*", "traffic-anomaly/*/v1", NOW - 7_200_000, null, true, null);
    }
}
