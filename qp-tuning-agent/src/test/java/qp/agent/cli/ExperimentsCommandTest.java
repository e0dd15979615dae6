package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static qp.agent.testing.ExperimentRows.estimate;
import static qp.agent.testing.ScenarioStore.NOW;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code bin/qp experiments} on a store file holding four experiments written through the agent's own store class. */
class ExperimentsCommandTest {
    static final String KEPT = "experiment x-r2: refusals per minute -40% (95% interval -52% to -30%) | kept: adopted "
            + "on the whole node";
    static final String HARM = "experiment x-r3: heartbeats per connection-minute +12% | harm: the treatment made it "
            + "worse; everyone back on control";

    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void fill() {
        db = dir.resolve("agent.db");
        try (Database d = Database.open(db, ScenarioStore.CLOCK)) {
            ExperimentRows rows = new ExperimentRows(d);
            Experiment harm = rows.started("x-r3", "edge-1", "heartbeat_interval", 30_000, 45_000, 0.1,
                    NOW - 3_600_000);
            rows.ended(harm, ExperimentVerdict.HARM, estimate(0.12, 0.05, 0.20, 0.999, 3000, 310), HARM,
                    NOW - 3_000_000);
            Experiment kept = rows.started("x-r2", "edge-2", "max_connections", 100, 200, 0, NOW - 1_800_000);
            rows.ended(kept, ExperimentVerdict.KEPT, estimate(-0.40, -0.52, -0.30, 0.95, 52_000, 51_000), KEPT,
                    NOW - 600_000);
            Experiment running = rows.started("x-r1", "edge-1", "compression_threshold", 0, 1024, 0.1, NOW - 120_000);
            rows.observed(running, estimate(-0.62, -0.70, -0.55, 0.95, 1200, 130), NOW - 5_000);
            rows.started("x-r4", "edge-1", "buffer_size", 8192, 16_384, 0.05, NOW - 5_000); // no interval yet
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
    void tableListsNewestFirstWithValuesEffectsVerdictsAndSentences() {
        Cli c = cli("experiments");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).isEmpty();
        List<String> lines = c.out().lines().toList();
        assertThat(lines).hasSize(7); // a header, four rows, two sentences
        assertThat(lines.get(0)).startsWith("id").contains("node", "change", "arms", "status", "metric",
                "effect [interval]", "frames c/t", "verdict");
        assertThat(lines.get(1)).startsWith("x-r4").contains("buffer_size 8192 bytes -> 16384 bytes", "session 5%",
                "running", "stream_latency").endsWith("-");
        assertThat(lines.get(2)).startsWith("x-r1").contains("edge-1", "compression_threshold off -> 1024 bytes",
                "session 10%", "running", "wire_bytes_per_raw_byte", "-62% [-70%, -55%] at 95%", "1200/130");
        assertThat(lines.get(3)).startsWith("x-r2").contains("edge-2",
                "max_connections 100 connections -> 200 connections", "switchback 60 s", "ended", "refusals_per_minute",
                "-40% [-52%, -30%] at 95%", "52.0k/51.0k").endsWith("kept");
        assertThat(lines.get(4)).isEqualTo("    " + KEPT);
        assertThat(lines.get(5)).startsWith("x-r3").contains("heartbeat_interval 30000 ms -> 45000 ms",
                "+12% [+5.0%, +20%] at 99.9%", "3000/310").endsWith("harm");
        assertThat(lines.get(6)).isEqualTo("    " + HARM);
        int effectColumn = lines.get(0).indexOf("effect [interval]");
        assertThat(lines.get(2).indexOf("-62%")).as("columns line up").isEqualTo(effectColumn);
        assertThat(lines.get(5).indexOf("+12%")).isEqualTo(effectColumn);
    }

    @Test
    void jsonHasTheSameFieldsWithNumbersAsNumbers() throws Exception {
        JsonNode j = json(cli("experiments", "--json"));
        assertThat(j.isArray()).isTrue();
        assertThat(j).extracting(e -> e.get("id").asText()).containsExactly("x-r4", "x-r1", "x-r2", "x-r3");
        JsonNode running = j.get(1);
        assertThat(running.fieldNames()).toIterable().containsExactly("id", "recommendationId", "nodeId", "parameter",
                "controlValue", "treatmentValue", "change", "assignment", "share", "blockMillis", "status",
                "targetMetric", "effect", "intervalLow", "intervalHigh", "intervalLevel", "framesControl",
                "framesTreatment", "verdict", "sentence", "createdAtMillis", "startedAtMillis", "endedAtMillis");
        assertThat(running.get("nodeId").asText()).isEqualTo("edge-1");
        assertThat(running.get("parameter").asText()).isEqualTo("compression_threshold");
        assertThat(running.get("controlValue").isNumber()).isTrue();
        assertThat(running.get("controlValue").asLong()).isZero();
        assertThat(running.get("treatmentValue").asLong()).isEqualTo(1024);
        assertThat(running.get("change").asText()).isEqualTo("off -> 1024 bytes");
        assertThat(running.get("assignment").asText()).isEqualTo("session");
        assertThat(running.get("share").asDouble()).isEqualTo(0.1);
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("targetMetric").asText()).isEqualTo("wire_bytes_per_raw_byte");
        assertThat(running.get("effect").isNumber()).isTrue();
        assertThat(running.get("effect").asDouble()).isEqualTo(-0.62);
        assertThat(running.get("intervalLow").asDouble()).isEqualTo(-0.70);
        assertThat(running.get("intervalHigh").asDouble()).isEqualTo(-0.55);
        assertThat(running.get("intervalLevel").asDouble()).isEqualTo(0.95);
        assertThat(running.get("framesControl").asLong()).isEqualTo(1200);
        assertThat(running.get("framesTreatment").asLong()).isEqualTo(130);
        assertThat(running.get("verdict").isNull()).isTrue();
        assertThat(running.get("startedAtMillis").asLong()).isEqualTo(NOW - 120_000);
        assertThat(running.get("endedAtMillis").isNull()).isTrue();

        JsonNode kept = j.get(2);
        assertThat(kept.get("assignment").asText()).isEqualTo("switchback");
        assertThat(kept.get("blockMillis").asLong()).isEqualTo(60_000);
        assertThat(kept.get("verdict").asText()).isEqualTo("kept");
        assertThat(kept.get("sentence").asText()).isEqualTo(KEPT);
        assertThat(kept.get("endedAtMillis").asLong()).isEqualTo(NOW - 600_000);
        JsonNode noInterval = j.get(0);
        assertThat(noInterval.get("effect").isNull()).as("no interval yet: null, not 0").isTrue();
        assertThat(noInterval.get("framesControl").isNull()).isTrue();
    }

    @Test
    void nodeAndLimitNarrowTheList() throws Exception {
        assertThat(json(cli("experiments", "--node", "edge-2", "--json"))).extracting(e -> e.get("id").asText())
                .containsExactly("x-r2");
        assertThat(json(cli("experiments", "--limit", "2", "--json"))).extracting(e -> e.get("id").asText())
                .containsExactly("x-r4", "x-r1");
        assertThat(json(cli("experiments", "--node", "edge-1", "--limit", "2", "--json")))
                .extracting(e -> e.get("id").asText()).containsExactly("x-r4", "x-r1");
        Cli text = cli("experiments", "--node", "edge-2");
        assertThat(text.out()).contains("x-r2", KEPT).doesNotContain("x-r1", "x-r3", "x-r4");

        Cli none = cli("experiments", "--node", "edge-9");
        assertThat(none.code()).isEqualTo(QpCli.EXIT_FAILURE);
        assertThat(none.oneCleanErrorLine()).as(none.err()).isTrue();
        assertThat(none.err()).contains("qp experiments: no experiment on node 'edge-9'", "leave out --node");
    }

    @Test
    void badArgumentsAreOneLineAndTheUsageExitCode() {
        for (String[] args : new String[][] {{"experiments", "--limit", "0"}, {"experiments", "--limit", "many"},
            {"experiments", "--nod", "edge-1"}}) {
            Cli c = cli(args);
            assertThat(c.code()).as(c.err()).isEqualTo(QpCli.EXIT_USAGE);
            assertThat(c.oneCleanErrorLine()).as(c.err()).isTrue();
            assertThat(c.err()).startsWith("qp experiments: ");
            assertThat(c.out()).isEmpty();
        }
        assertThat(cli("experiments", "--limit", "0").err()).contains("--limit: 0 is not a count of experiments");
        assertThat(cli("experiments", "--limit", "many").err())
                .contains("'many' is not an int", "bin/qp experiments --help");
    }

    @Test
    void anEmptyStoreSaysSoAndJsonIsAnEmptyArray() throws Exception {
        Path empty = dir.resolve("empty.db");
        Database.open(empty, ScenarioStore.CLOCK).close();
        Cli text = Cli.run(ScenarioStore.CLOCK, "experiments", "--db", empty.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("no experiments yet");
        Cli j = Cli.run(ScenarioStore.CLOCK, "experiments", "--json", "--db", empty.toString());
        assertThat(QpJson.tree(j.out().getBytes()).size()).isZero();
    }
}
