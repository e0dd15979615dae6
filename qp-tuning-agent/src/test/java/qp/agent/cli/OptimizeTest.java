package qp.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import qp.agent.TuningAgent;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.config.GatewayEntry;
import qp.agent.gateway.AdminApiApplier;
import qp.agent.store.Database;
import qp.agent.store.SqliteLedgerStore;
import qp.agent.store.SqliteWindowHistory;
import qp.agent.testing.MutableClock;
import qp.agent.testing.RunningGateway;
import qp.agent.testing.Scenario;
import qp.agent.tuning.Gates;
import qp.agent.tuning.LoopOperatorActions;
import qp.agent.tuning.Optimization;
import qp.agent.tuning.QueueRecommendationSource;
import qp.agent.tuning.Status;
import qp.agent.tuning.TuningLoop;
import qp.protocol.analytics.Recommendation;
import qp.protocol.json.QpJson;

/**
 * {@code optimize} against the store of a real agent loop (real gateways on sockets, a real SQLite file, a clock the
 * test moves): a scripted history, then recommendations each stopped by another gate; what optimize says the next tick
 * does is then checked against what the loop's next tick really does.
 */
class OptimizeTest {
    static final long T0 = 1_796_000_000_000L;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    RunningGateway edge1;
    RunningGateway edge2;
    Path configFile;
    Path dbFile;
    AgentConfig config;
    Database db;
    SqliteLedgerStore ledger;
    QueueRecommendationSource source = new QueueRecommendationSource();
    TuningLoop loop;

    @BeforeEach
    void start() throws IOException {
        edge1 = RunningGateway.start("edge-1", dir.resolve("gw1"));
        edge2 = RunningGateway.start("edge-2", dir.resolve("gw2"));
        Path token = Files.writeString(dir.resolve("admin-token"), RunningGateway.ADMIN_TOKEN);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there afterwards: edge-3 does not answer
        }
        configFile = Files.writeString(dir.resolve("agent.json"), String.format("{\"gateways\": ["
                + "{\"nodeId\": \"edge-1\", \"adminUrl\": \"%s\", \"adminTokenFile\": \"%s\"},"
                + "{\"nodeId\": \"edge-2\", \"adminUrl\": \"%s\", \"adminTokenFile\": \"%s\"},"
                + "{\"nodeId\": \"edge-3\", \"adminUrl\": \"http://127.0.0.1:%d\", \"adminTokenFile\": \"%s\"}],"
                + " \"min-confidence\": 0.7, \"cooldown\": \"10min\", \"http-timeout\": \"5s\"}",
                edge1.adminUrl(), token, edge2.adminUrl(), token, closed, token));
        config = AgentConfig.load(Map.of("config", configFile.toString()), k -> null);
        dbFile = dir.resolve("agent.db");
        db = Database.open(dbFile, clock);
        ledger = new SqliteLedgerStore(db);
        loop = TuningAgent.loop(config, source, db,
                new AdminApiApplier(config.gateways(), config.get(AgentOptions.HTTP_TIMEOUT)), clock);
    }

    @AfterEach
    void stop() {
        db.close();
        edge1.close();
        edge2.close();
    }

    Cli optimize(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "optimize";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--db";
        all[args.length + 2] = dbFile.toString();
        all[args.length + 3] = "--config";
        all[args.length + 4] = configFile.toString();
        return Cli.run(clock, all);
    }

    /**
     * History through the loop itself: max_connections of edge-1 applied then rolled back by an operator at T0 (edge-1
     * at parameter version 3), compression of edge-2 applied and still being verified (in flight). Then, two minutes
     * later, recommendations seen and not decided yet, in this order; returns their ids by what should stop them.
     */
    Map<String, String> script() {
        Recommendation maxConn = Scenario.rec("edge-1", "max_connections", 100, 200, 0.9, 0.3, "errors", 1, T0);
        source.offer(maxConn);
        source.offer(Scenario.compression("edge-2", T0));
        loop.tick();
        assertThat(new LoopOperatorActions(loop, c -> { }, clock).rollback(maxConn.id(), "test").ok()).isTrue();
        assertThat(edge1.version()).isEqualTo(3);
        assertThat(ledger.inFlight("edge-2")).isPresent();

        clock.advance(Duration.ofMinutes(2));
        long t = clock.millis();
        Map<String, Recommendation> recs = new LinkedHashMap<>();
        recs.put("confidence", Scenario.rec("edge-1", "heartbeat_interval", 30_000, 20_000, 0.5, 0.3, "timeouts", 3, t));
        recs.put("improvement", Scenario.rec("edge-1", "heartbeat_interval", 30_000, 40_000, 0.9, 0.05, "timeouts", 3, t));
        recs.put("range", Scenario.rec("edge-1", "buffer_size", 8192, 1024, 0.9, 0.3, "latency_p95", 3, t));
        recs.put("max_step", Scenario.rec("edge-1", "buffer_size", 8192, 65536, 0.9, 0.3, "latency_p95", 3, t));
        recs.put("cooldown", Scenario.rec("edge-1", "max_connections", 100, 150, 0.9, 0.3, "errors", 3, t));
        recs.put("unknown_node", Scenario.rec("edge-9", "max_connections", 100, 150, 0.9, 0.3, "errors", 1, t));
        recs.put("in_flight", Scenario.rec("edge-2", "buffer_size", 8192, 16384, 0.9, 0.3, "latency_p95", 2, t));
        recs.put("stale", Scenario.rec("edge-1", "max_frame_bytes", 1 << 20, 1 << 21, 0.9, 0.3, "errors", 1, t));
        recs.put("wait", Scenario.rec("edge-3", "max_connections", 100, 150, 0.9, 0.3, "errors", 1, t));
        recs.put("apply", Scenario.rec("edge-1", "compression_threshold", 0, 1024, 0.9, 0.5, "bytes", 3, t));
        // decided after "apply" in the same tick: its node then has a change in flight
        recs.put("in_flight after apply", Scenario.rec("edge-1", "buffer_size", 8192, 16384, 0.9, 0.3, "latency_p95", 3, t));
        Map<String, String> ids = new LinkedHashMap<>();
        recs.forEach((what, r) -> {
            assertThat(ledger.recordSeen(r, t)).isTrue();
            ids.put(what, r.id());
        });
        return ids;
    }

    static Map<String, JsonNode> byId(JsonNode result) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        result.get("items").forEach(i -> m.put(i.get("recommendationId").asText(), i));
        return m;
    }

    static Map<String, String> answers(JsonNode item) {
        Map<String, String> m = new LinkedHashMap<>();
        item.get("gates").forEach(g -> m.put(g.get("gate").asText(), g.get("answer").asText()));
        return m;
    }

    @Test
    void whatOptimizeSaysTheNextTickDoesIsWhatTheLoopDoes() throws Exception {
        Map<String, String> ids = script();
        Cli c = optimize("--json");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode result = QpJson.tree(c.out().getBytes());
        Map<String, JsonNode> items = byId(result);
        assertThat(items.keySet()).as("every recommendation not applied, in the loop's order")
                .containsExactlyElementsOf(ids.values());
        assertThat(items.values()).allSatisfy(i -> assertThat(i.get("decidedNextTick").asBoolean()).isTrue());

        Map<String, String> predicted = new LinkedHashMap<>();
        items.forEach((id, i) -> predicted.put(id, i.get("decision").asText()
                + (i.hasNonNull("decidingGate") ? " " + i.get("decidingGate").asText() : "")));
        Map<String, String> expected = new LinkedHashMap<>();
        ids.forEach((what, id) -> expected.put(id, switch (what) {
            case "apply" -> "apply";
            case "wait" -> "wait";
            case "in_flight after apply" -> "reject in_flight";
            default -> "reject " + what;
        }));
        assertThat(predicted).isEqualTo(expected);

        // each gate's answer, not only the first that fails
        JsonNode cooldown = items.get(ids.get("cooldown"));
        assertThat(answers(cooldown)).containsExactly(Map.entry("unknown_node", "pass"), Map.entry("range", "pass"),
                Map.entry("confidence", "pass"), Map.entry("improvement", "pass"), Map.entry("max_step", "pass"),
                Map.entry("in_flight", "pass"), Map.entry("cooldown", "fail"), Map.entry("already_tried", "pass"),
                Map.entry("opposed", "pass"), Map.entry("stale", "pass"));
        assertThat(cooldown.get("gates").get(6).get("why").asText())
                .isEqualTo("max_connections of edge-1 changed 120 s ago; cool-down is 600 s");
        JsonNode lowConfidence = items.get(ids.get("confidence"));
        assertThat(answers(lowConfidence)).containsEntry("confidence", "fail").containsEntry("cooldown", "pass")
                .containsEntry("stale", "pass");
        assertThat(lowConfidence.get("gates").get(2).get("why").asText()).isEqualTo("confidence 0.50 is below 0.70");
        assertThat(lowConfidence.get("operatorApply").asText()).as("confidence is policy, not safety").isEqualTo("allowed");
        JsonNode stale = items.get(ids.get("stale"));
        assertThat(answers(stale)).containsEntry("stale", "fail");
        assertThat(stale.get("gates").get(9).get("why").asText())
                .isEqualTo("computed against parameter version 1, the gateway is at version 3");
        JsonNode unknown = items.get(ids.get("unknown_node"));
        assertThat(answers(unknown)).containsEntry("unknown_node", "fail").containsEntry("stale", "not checked");
        assertThat(unknown.get("operatorApply").asText()).startsWith("gate unknown_node: node edge-9 is not in the agent's config");
        JsonNode waiting = items.get(ids.get("wait"));
        assertThat(answers(waiting).get("stale")).isEqualTo("not checked");
        assertThat(waiting.get("gates").get(9).get("why").asText()).startsWith("unreachable: ");
        assertThat(items.get(ids.get("in_flight after apply")).get("gates").get(5).get("why").asText())
                .isEqualTo("node edge-1 already has a change in flight (compression_threshold -> 1024, applied)");
        JsonNode inFlight = items.get(ids.get("in_flight"));
        assertThat(inFlight.get("operatorApply").asText()).startsWith("gate in_flight: node edge-2 already has a change in flight (compression_threshold -> 1024, applied)");
        assertThat(result.get("expectedImprovement").get("bytes").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(result.get("expectedImprovement").size()).as("only what passes every gate").isEqualTo(1);

        Cli text = optimize();
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("11 recommendation(s) not applied")
                .contains("FAIL cooldown     max_connections of edge-1 changed 120 s ago; cool-down is 600 s")
                .contains("ok   in_flight    no other change in flight on edge-1")
                .contains("next tick: reject (gate cooldown)", "next tick: apply (passes every gate)",
                        "next tick: wait: its gateway does not answer; it stays pending")
                .contains("?    stale        unreachable: ")
                .contains("expected total improvement of bytes: 50%");

        loop.tick(); // the agent's own next tick, on the same store and gateways
        Map<String, String> decided = new LinkedHashMap<>();
        for (String id : ids.values()) {
            Optimization o = ledger.find(id).orElseThrow();
            decided.put(id, switch (o.status()) {
                case APPLIED, APPLYING -> "apply";
                case PENDING -> "wait";
                case REJECTED -> "reject " + o.gate().wire();
                default -> o.status().wire();
            });
        }
        assertThat(decided).as("the loop decided what optimize said it would").isEqualTo(predicted);
        assertThat(edge1.server().params().current().experiment().parameter())
                .as("applying is starting an experiment").isEqualTo("compression_threshold");
    }

    @Test
    void theAgentsModeAndCommandLineOptionsChangeTheDecision() throws Exception {
        Map<String, String> ids = script();
        Cli c = optimize("--json", "--node", "edge-1", "-o", "mode=advise", "-o", "min-confidence=0.4");
        assertThat(c.code()).as(c.err()).isZero();
        Map<String, JsonNode> items = byId(QpJson.tree(c.out().getBytes()));
        assertThat(items.keySet()).doesNotContain(ids.get("in_flight"), ids.get("wait"), ids.get("unknown_node"));
        assertThat(items.get(ids.get("apply")).get("decision").asText()).isEqualTo("advise");
        assertThat(items.get(ids.get("confidence")).get("decision").asText())
                .as("0.50 passes a 0.4 gate; advised changes are not in flight for the ones after").isEqualTo("advise");
        assertThat(items.get(ids.get("in_flight after apply")).get("decision").asText()).isEqualTo("advise");
    }

    @Test
    void aRecommendationAlreadyAdvisedShowsWhatAnOperatorsApplyWouldMeet() throws Exception {
        Recommendation r = Scenario.rec("edge-1", "buffer_size", 8192, 16384, 0.9, 0.3, "latency_p95", 1, T0);
        ledger.recordSeen(r, T0);
        Optimization o = ledger.find(r.id()).orElseThrow();
        o.moveTo(Status.ADVISED, "advise mode: not applied", "agent", T0);
        ledger.save(o);
        Cli c = optimize();
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("recorded: advised: advise mode: not applied")
                .contains("decided already; if pending now: apply (passes every gate)")
                .contains("operator apply: allowed");
    }

    @Test
    void withoutTheAgentsConfigOrWithABadOptionItSaysSoInOneLine() throws Exception {
        script();
        Cli missing = Cli.run(clock, "optimize", "--db", dbFile.toString(), "--config", dir.resolve("none.json").toString());
        assertThat(missing.code()).isEqualTo(QpCli.EXIT_USAGE);
        assertThat(missing.oneCleanErrorLine()).as(missing.err()).isTrue();
        assertThat(missing.err()).contains("no agent config at " + dir.resolve("none.json"));
        Cli bad = optimize("-o", "min-confidence=lots");
        assertThat(bad.code()).isEqualTo(QpCli.EXIT_USAGE);
        assertThat(bad.oneCleanErrorLine()).as(bad.err()).isTrue();
        assertThat(bad.err()).contains("min-confidence");
        Cli unknown = optimize("-o", "no-such-option=1");
        assertThat(unknown.code()).isEqualTo(QpCli.EXIT_USAGE);
        assertThat(unknown.err()).contains("unknown option --no-such-option");
        assertThat(List.of(missing.out(), bad.out(), unknown.out())).allMatch(String::isEmpty);
    }
}
