package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static qp.agent.testing.ExperimentRows.estimate;
import static qp.agent.testing.ScenarioStore.NOW;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.store.Database;
import qp.agent.testing.ExperimentRows;
import qp.agent.testing.ScenarioStore;
import qp.protocol.json.QpJson;

/**
 * stats, analyze and report against a store filled by the scripted scenario and three experiments; text and JSON
 * checked. optimize, which needs the agent's config and gateways, is checked against a real loop in
 * {@link OptimizeTest}.
 */
class StoreCommandsTest {
    static final long DAY = 86_400_000L;

    @TempDir
    static Path dir;
    static Path db;

    static final String KEPT = "experiment x-rules-r8: refusals per minute -40% (95% interval -52% to -30%) | kept: "
            + "adopted on the whole node";

    @BeforeAll
    static void fill() throws Exception {
        db = ScenarioStore.create(dir.resolve("agent.db"));
        try (Database d = Database.open(db, ScenarioStore.CLOCK)) {
            ExperimentRows rows = new ExperimentRows(d);
            Experiment old = rows.started("x-rules-r9", "edge-1", "buffer_size", 8192, 16_384, 0.1, NOW - 3 * DAY);
            rows.ended(old, ExperimentVerdict.HARM, estimate(0.3, 0.1, 0.5, 0.95, 900, 100), "ended 3 days ago",
                    NOW - 3 * DAY + 600_000);
            Experiment kept = rows.started("x-rules-r8", "edge-2", "max_connections", 100, 200, 0, NOW - 7_200_000);
            rows.ended(kept, ExperimentVerdict.KEPT, estimate(-0.40, -0.52, -0.30, 0.95, 52_000, 51_000), KEPT,
                    NOW - 3_600_000);
            Experiment running = rows.started("x-rules-r7", "edge-1", "compression_threshold", 0, 1024, 0.1,
                    NOW - 300_000);
            rows.observed(running, estimate(-0.62, -0.70, -0.55, 0.95, 1200, 130), NOW - 10_000);
        }
    }

    static Cli cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db";
        all[args.length + 1] = db.toString();
        return Cli.run(ScenarioStore.CLOCK, all);
    }

    static JsonNode json(Cli c) throws Exception {
        assertThat(c.code()).as(c.err()).isZero();
        return QpJson.tree(c.out().getBytes());
    }

    @Test
    void statsJsonHasNodesAndTotalWithLatencyInMicros() throws Exception {
        JsonNode j = json(cli("stats", "--json"));
        assertThat(j.fieldNames()).toIterable().containsExactly("nodes", "total");
        assertThat(j.get("nodes").fieldNames()).toIterable().containsExactly("edge-1", "edge-2");
        JsonNode e1 = j.get("nodes").get("edge-1");
        assertThat(e1.get("uptimeSeconds").asLong()).as("since instance i-1 first reported").isEqualTo(59);
        assertThat(e1.get("framesIn").asLong()).isEqualTo(6000);
        assertThat(e1.get("framesOut").asLong()).isEqualTo(7200);
        assertThat(e1.get("bytesIn").asLong()).isEqualTo(600_000);
        assertThat(e1.get("bytesOut").asLong()).isEqualTo(1_200_000);
        assertThat(e1.get("messagesPerSec").asDouble()).isEqualTo(220.0);
        // latency from the six windows' sketches (10, 20 ... 1000 us each): exact values within the sketch's 0.5%
        assertThat(e1.get("latencyWindows").asLong()).isEqualTo(6);
        assertThat(e1.get("latencySamples").asLong()).isEqualTo(600);
        assertThat(e1.get("latencyRelativeAccuracy").asDouble()).isEqualTo(0.005);
        assertThat(e1.get("latencyAvgMicros").asDouble()).isCloseTo(505.0, within(505 * 0.005));
        assertThat(e1.get("latencyP50Micros").asLong()).isCloseTo(500, within(3L));
        assertThat(e1.get("latencyP95Micros").asLong()).isCloseTo(950, within(5L));
        assertThat(e1.get("latencyP99Micros").asLong()).isCloseTo(990, within(5L));
        assertThat(e1.get("latencyMaxMicros").asLong()).isEqualTo(1000);
        assertThat(e1.get("windowFrames").asLong()).isEqualTo(6 * 2200);
        assertThat(e1.get("errorRate").asDouble()).isCloseTo(60 / 13_200.0, within(1e-12));
        assertThat(e1.get("connections").asInt()).isEqualTo(4);
        JsonNode total = j.get("total");
        assertThat(total.get("framesIn").asLong()).isEqualTo(7500);
        assertThat(total.get("framesOut").asLong()).isEqualTo(8700);
        assertThat(total.get("messagesPerSec").asDouble()).isEqualTo(320.0);
        assertThat(total.get("connections").asInt()).isEqualTo(6);
        assertThat(total.get("latencyWindows").asLong()).isEqualTo(12);
        assertThat(total.get("latencyP50Micros").asLong()).isCloseTo(550, within(3L));
        assertThat(total.get("latencyP99Micros").asLong()).isCloseTo(2000, within(10L));
        assertThat(total.get("latencyAvgMicros").asDouble()).isCloseTo(423_000 / 660.0, within(423_000 / 660.0 * 0.005));
        assertThat(total.get("errorRate").asDouble()).isCloseTo(60 / 19_200.0, within(1e-12));
    }

    @Test
    void statsTextHasARowPerNodeAndTheTotal() {
        Cli c = cli("stats");
        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines.get(0)).startsWith("stats since 2026-");
        assertThat(lines.get(1)).contains("node", "uptime", "p99", "errors", "conns");
        assertThat(lines.get(2)).startsWith("edge-1").contains("59s", "6000", "7200", "220.0", "1.0ms", "0.45%");
        assertThat(lines.get(3)).startsWith("edge-2").contains("29s", "1500", "2.0ms");
        assertThat(lines.get(4)).startsWith("total").contains("7500", "8700", "320.0");
        assertThat(lines.get(5)).startsWith("latency and errors: the job's windows").contains("within 0.5%");
        assertThat(lines.get(6)).isEqualTo("  edge-1: 6 windows, 13200 frames, 600 with a latency");
        assertThat(lines.get(7)).isEqualTo("  edge-2: 6 windows, 6000 frames, 60 with a latency");
    }

    @Test
    void statsForOneNodeAndForAnUnknownNode() throws Exception {
        JsonNode j = json(cli("stats", "--node", "edge-2", "--json"));
        assertThat(j.get("nodes").fieldNames()).toIterable().containsExactly("edge-2");
        assertThat(j.get("total").get("framesIn").asLong()).isEqualTo(1500);
        Cli none = cli("stats", "--node", "edge-9");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.oneCleanErrorLine()).as(none.err()).isTrue();
        assertThat(none.err()).contains("no data for node 'edge-9'");
    }

    @Test
    void statsSaysWhyLatencyIsEmptyWhenNoWindowEndsInTheRange() {
        Cli c = cli("stats", "--node", "edge-2", "--since", "5s"); // its samples are recent, its last window older
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("edge-2").contains("no window of the job ends in this range", "bin/qp job");
        assertThat(cli("stats").out()).doesNotContain("no window of the job");
    }

    @Test
    void statsSinceTwoHoursCountsTheEarlierInstanceSample() throws Exception {
        JsonNode j = json(cli("stats", "--since", "3h", "--json"));
        assertThat(j.get("nodes").get("edge-1").get("framesIn").asLong()).isEqualTo(6010);
        assertThat(j.get("nodes").get("edge-1").get("uptimeSeconds").asLong()).isEqualTo(59);
    }

    @Test
    void analyzeShowsSequencesDistributionsAnomaliesAndSuggestions() throws Exception {
        JsonNode j = json(cli("analyze", "--json"));
        assertThat(j.get("sequences").fieldNames()).toIterable()
                .containsExactly("COMMAND -> ACK", "ACK -> COMMAND", "AUTH -> COMMAND", "AUTH -> ACK");
        assertThat(j.get("sequences").get("COMMAND -> ACK").asLong()).isEqualTo(234);
        assertThat(j.get("transitions").asLong()).isEqualTo(443);
        assertThat(j.get("latency").get("summary").get("p99Micros").asLong()).isEqualTo(2000);
        assertThat(j.get("latency").get("histogram").get("<100us").asLong()).isEqualTo(9);
        assertThat(j.get("latency").get("histogram").get("100us-1ms").asLong()).isEqualTo(90);
        assertThat(j.get("latency").get("histogram").get("1-10ms").asLong()).isEqualTo(11);
        assertThat(j.get("payloadBytes").get("maxBytes").asLong()).isEqualTo(20_000);
        assertThat(j.get("payloadBytes").get("histogram").get("16-64KiB").asLong()).isEqualTo(10);
        assertThat(j.get("anomalies").get("LATENCY_SPIKE").asLong()).isEqualTo(2);
        assertThat(j.get("anomalies").get("TYPE_MIX_SHIFT").asLong()).isEqualTo(1);
        assertThat(j.get("suggestions")).extracting(s -> s.get("recommendationId").asText())
                .containsExactlyInAnyOrder("rules-r1", "rules-r2", "rules-r6");

        Cli text = cli("analyze", "--node", "edge-1");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("COMMAND -> ACK", "234", "LATENCY_SPIKE", "ERROR_BURST")
                .contains("edge-1 | compression_threshold off -> 1024 | confidence 0.90, expected 50% bytes | advised")
                .contains("evidence: evidence for rules-r1").doesNotContain("TYPE_MIX_SHIFT", "rules-r6");
    }

    @Test
    void reportListsChangesWithFiguresAnomaliesAndModels() throws Exception {
        JsonNode j = json(cli("report", "--json"));
        assertThat(j.get("statusCounts").get("verified").asLong()).isEqualTo(1);
        assertThat(j.get("statusCounts").get("rolled_back").asLong()).isEqualTo(1);
        assertThat(j.get("changes")).extracting(c -> c.get("recommendationId").asText())
                .containsExactly("rules-r5", "rules-r4");
        assertThat(j.get("changes").get(1).get("beforeMetric").asDouble()).isEqualTo(10.0);
        assertThat(j.get("changes").get(1).get("afterMetric").asDouble()).isEqualTo(5.0);
        assertThat(j.get("models")).extracting(m -> m.get("version").asText())
                .containsExactly("latency/edge-1/v2", "traffic-anomaly/*/v1");
        assertThat(j.get("anomalies").get("LATENCY_SPIKE").asLong()).isEqualTo(2);
        assertThat(j.get("experiments")).as("running, and ended in the last 24 h")
                .extracting(e -> e.get("id").asText()).containsExactly("x-rules-r7", "x-rules-r8");
        JsonNode running = j.get("experiments").get(0);
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("effect").asDouble()).isEqualTo(-0.62);
        assertThat(running.get("intervalLow").asDouble()).isEqualTo(-0.70);
        assertThat(running.get("intervalHigh").asDouble()).isEqualTo(-0.55);
        assertThat(running.get("verdict").isNull()).isTrue();
        assertThat(j.get("experiments").get(1).get("verdict").asText()).isEqualTo("kept");
        assertThat(j.get("experiments").get(1).get("sentence").asText()).isEqualTo(KEPT);

        Cli text = cli("report");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("QP optimization report")
                .contains("max_connections 100 -> 200 | verified | expected 40% errors, before 10.00 after 5.000, "
                        + "observed -50.0%")
                .contains("buffer_size 8192 -> 16384 | rolled_back", "observed +50.0%")
                .contains("latency/edge-1/v2 (random-forest 30 trees, depth 8) published, 8000 rows, R2 0.930")
                .contains("top features payload_size, connections, type_mix")
                .contains("experiments (running, and ended in this range)\n"
                        + "  2026-11-30 00:48:20Z  x-rules-r7 on edge-1 | compression_threshold off -> 1024 bytes | "
                        + "session 10% | running | wire_bytes_per_raw_byte -62% [-70%, -55%] at 95%, frames 1200/130\n"
                        + "  2026-11-29 23:53:20Z  x-rules-r8 on edge-2 | max_connections 100 connections -> 200 "
                        + "connections | switchback 60 s | ended | refusals_per_minute -40% [-52%, -30%] at 95%, "
                        + "frames 52.0k/51.0k | kept\n"
                        + "    " + KEPT + "\n")
                .doesNotContain("x-rules-r9");
    }

    @Test
    void reportKeepsRunningExperimentsAndThoseEndedInTheRangeOfItsNode() throws Exception {
        assertThat(json(cli("report", "--since", "30m", "--json")).get("experiments"))
                .as("the kept one ended an hour ago").extracting(e -> e.get("id").asText())
                .containsExactly("x-rules-r7");
        assertThat(json(cli("report", "--since", "7d", "--node", "edge-1", "--json")).get("experiments"))
                .extracting(e -> e.get("id").asText()).containsExactly("x-rules-r7", "x-rules-r9");
        assertThat(json(cli("report", "--node", "edge-2", "--json")).get("experiments"))
                .extracting(e -> e.get("id").asText()).containsExactly("x-rules-r8");
    }

    @Test
    void reportToAFileWritesTextOrJsonByItsName() throws Exception {
        Path txt = dir.resolve("out/report.txt");
        Path js = dir.resolve("out/report.json");
        Cli a = cli("report", "--out", txt.toString());
        Cli b = cli("report", "--since", "90m", "--out", js.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(a.err()).contains("written to " + txt);
        assertThat(Files.readString(txt)).startsWith("QP optimization report");
        JsonNode j = QpJson.tree(Files.readAllBytes(js));
        assertThat(j.get("models")).extracting(m -> m.get("version").asText()).containsExactly("latency/edge-1/v2");
    }
}
