package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static qp.agent.testing.WindowedTraffic.ALPHA;
import static qp.agent.testing.WindowedTraffic.exactQuantile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.store.AnalyticsWriter;
import qp.agent.store.Database;
import qp.agent.testing.WindowedTraffic;
import qp.protocol.analytics.WindowStats;
import qp.protocol.events.FrameEvent;
import qp.protocol.events.NodeMetrics;
import qp.protocol.json.QpJson;
import qp.protocol.params.TunableParams;

/**
 * {@code stats} over a real store file that the agent's own writer filled with the job's window records of a few
 * connections: three on edge-a, one on edge-b, none of them in the agent's 10% message_log sample. The oracle is the
 * generated latencies themselves: exact quantiles, with the sketch's relative accuracy as the only tolerance.
 */
class StatsFromWindowsTest {
    static final long NOW = 1_796_000_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    static final long FIRST_WINDOW = NOW - NOW % WindowedTraffic.WINDOW_MS - 7 * WindowedTraffic.WINDOW_MS;
    static final int WINDOWS = 6;

    @TempDir
    static Path dir;
    static Path db;
    static final WindowedTraffic traffic = new WindowedTraffic();
    static final List<String> connections = new ArrayList<>();
    static long messageLogRows;
    static WindowStats oldWindow;

    @BeforeAll
    static void fill() throws SQLException {
        db = dir.resolve("agent.db");
        try (Database d = Database.open(db, CLOCK); AnalyticsWriter writer = new AnalyticsWriter(d, 0.1)) {
            for (int i = 0; connections.size() < 4; i++) {
                if (!writer.sampled("conn-" + i)) { // what a handful of live connections often looks like
                    connections.add("conn-" + i);
                }
            }
            Random rnd = new Random(20261207L);
            for (int w = 0; w < WINDOWS; w++) {
                long start = FIRST_WINDOW + w * WindowedTraffic.WINDOW_MS;
                for (int c = 0; c < connections.size(); c++) {
                    String node = c < 3 ? "edge-a" : "edge-b";
                    int frames = 40 + rnd.nextInt(200);
                    for (int f = 0; f < frames; f++) {
                        // most windows fast; window 3 of edge-a has a slow tail, edge-b drifts slower window by window
                        double micros = node.equals("edge-a")
                                ? (w == 3 && rnd.nextDouble() < 0.3 ? Math.exp(9 + 0.3 * rnd.nextGaussian())
                                        : Math.exp(5 + 0.5 * rnd.nextGaussian()))
                                : Math.exp(6 + 0.4 * w + 0.6 * rnd.nextGaussian());
                        long latency = rnd.nextDouble() < 0.05 ? 0 : Math.max(1, Math.round(micros)); // 0: no reply
                        traffic.in(node, connections.get(c), start + rnd.nextInt((int) WindowedTraffic.WINDOW_MS),
                                latency, rnd.nextDouble() < 0.02 ? "UNKNOWN_OP" : FrameEvent.OK);
                    }
                }
            }
            List<NodeMetrics> samples = new ArrayList<>();
            for (long t = FIRST_WINDOW; t < FIRST_WINDOW + WINDOWS * WindowedTraffic.WINDOW_MS; t += 1000) {
                samples.add(sample("edge-a", t, 3));
                samples.add(sample("edge-b", t, 1));
            }
            writer.write(new AnalyticsWriter.Batch(traffic.frames(), traffic.windows(), samples, List.of(), List.of(),
                    List.of()), NOW);
            // an older job's window of edge-b, without a sketch: counted, left out of the percentiles
            WindowStats last = traffic.windows().stream().filter(w -> w.nodeId().equals("edge-b")).reduce((x, y) -> y)
                    .orElseThrow();
            oldWindow = withoutSketch(last, FIRST_WINDOW - WindowedTraffic.WINDOW_MS);
            writer.write(new AnalyticsWriter.Batch(List.of(), List.of(oldWindow), List.of(), List.of(), List.of(),
                    List.of()), NOW);
            try (Statement s = d.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM message_log")) {
                rs.next();
                messageLogRows = rs.getLong(1);
            }
        }
    }

    static Cli cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db";
        all[args.length + 1] = db.toString();
        return Cli.run(CLOCK, all);
    }

    static JsonNode json(Cli c) throws Exception {
        assertThat(c.code()).as(c.err()).isZero();
        return QpJson.tree(c.out().getBytes());
    }

    @Test
    void everyNodesPercentilesAreItsWindowsMergedExactToTheSketchAccuracyThoughMessageLogHoldsNone() throws Exception {
        assertThat(messageLogRows).as("the 10% sample kept none of the 4 connections").isZero();
        long[] a = traffic.latencies("edge-a");
        double meanOfWindowP99s = traffic.windows().stream().filter(w -> w.nodeId().equals("edge-a"))
                .mapToDouble(WindowStats::latencyP99Micros).average().orElseThrow();
        assertThat(Math.abs(meanOfWindowP99s - exactQuantile(a, 0.99))).as("averaged percentiles would be far off")
                .isGreaterThan(10 * ALPHA * exactQuantile(a, 0.99));
        JsonNode j = json(cli("stats", "--json"));
        for (String node : List.of("edge-a", "edge-b")) {
            JsonNode n = j.get("nodes").get(node);
            assertThat(n).as(node).isNotNull();
            assertMatchesOracle(node, n, traffic.latencies(node));
            assertThat(n.get("latencyWindows").asLong()).as(node + " windows merged").isEqualTo(WINDOWS);
            // errors count in every window, with a sketch or without
            long oldErrors = node.equals("edge-b") ? oldWindow.errorCount() : 0;
            long oldFrames = node.equals("edge-b") ? oldWindow.count() : 0;
            assertThat(n.get("errorRate").asDouble()).as(node + " error rate over every frame").isCloseTo(
                    (double) (traffic.errors(node) + oldErrors) / (traffic.frames(node) + oldFrames), within(1e-12));
        }
        assertThat(j.get("nodes").get("edge-b").get("latencyWindowsLeftOut").asLong()).isEqualTo(1);
        assertThat(j.get("nodes").get("edge-a").get("latencyWindowsLeftOut").asLong()).isZero();
        assertMatchesOracle("total", j.get("total"), traffic.latencies(null));
        assertThat(j.get("total").get("latencyWindows").asLong()).isEqualTo(2 * WINDOWS);
    }

    @Test
    void textSaysTheFiguresComeFromTheJobsWindowsAndHowManyFramesTheyCover() {
        Cli c = cli("stats");
        assertThat(c.code()).as(c.err()).isZero();
        String out = c.out();
        long[] a = traffic.latencies("edge-a");
        assertThat(out).contains("the job's windows");
        assertThat(out.lines().filter(l -> l.startsWith("edge-a")).toList()).hasSize(1);
        assertThat(line(out, "edge-a:")).contains(WINDOWS + " windows", traffic.frames("edge-a") + " frames",
                a.length + " with a latency");
        assertThat(line(out, "edge-b:")).contains("1 window left out of the latency");
        assertThat(out).doesNotContain("message_log");
    }

    private static String line(String out, String start) {
        List<String> found = out.lines().filter(l -> l.strip().startsWith(start)).toList();
        assertThat(found).as("a line starting with '" + start + "' in:%n%s", out).hasSize(1);
        return found.get(0);
    }

    /** p50, p95 and p99 within the sketch's relative accuracy of the exact value (and half a µs of rounding). */
    private static void assertMatchesOracle(String what, JsonNode n, long[] sorted) {
        assertThat(n.get("latencySamples").asLong()).as(what + " frames with a latency").isEqualTo(sorted.length);
        for (String[] q : new String[][] {{"0.50", "latencyP50Micros"}, {"0.95", "latencyP95Micros"},
                {"0.99", "latencyP99Micros"}}) {
            double exact = exactQuantile(sorted, Double.parseDouble(q[0]));
            JsonNode v = n.get(q[1]);
            assertThat(v == null || v.isNull()).as(what + " " + q[1] + " is there").isFalse();
            assertThat(v.asDouble()).as(what + " " + q[1]).isCloseTo(exact, within(ALPHA * exact + 0.5));
        }
        assertThat(n.get("latencyMaxMicros").asLong()).as(what + " max").isEqualTo(sorted[sorted.length - 1]);
    }

    private static NodeMetrics sample(String node, long t, int connections) {
        return new NodeMetrics(node, t, 20, 20, 2000, 2000, 0.1, 1 << 20, 1 << 28, connections, 0, 0, 1,
                TunableParams.defaults(), "i-" + node, null);
    }

    private static WindowStats withoutSketch(WindowStats w, long start) {
        return new WindowStats(w.nodeId(), w.type(), w.view(), start, start + WindowedTraffic.WINDOW_MS, w.count(),
                w.bytes(), w.throughputPerSec(), w.bytesPerSec(), w.errorCount(), w.errorRate(), w.latencySamples(),
                w.latencyP50Micros(), w.latencyP95Micros(), w.latencyP99Micros(), w.latencyMaxMicros(),
                w.payloadMeanBytes(), w.payloadStddevBytes(), w.payloadP95Bytes(), w.payloadMaxBytes(), w.typeMix(),
                w.payloadSizeHistogram(), null);
    }
}
