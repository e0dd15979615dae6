package qp.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.gateway.AdminApiApplier;
import qp.agent.insight.PendingRecommendations;
import qp.agent.store.Database;
import qp.agent.store.SqliteExperimentStore;
import qp.agent.store.SqliteLedgerStore;
import qp.agent.store.SqliteOutcomeStore;
import qp.agent.tuning.DecisionPreview;

@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The recommendations the agent has not applied (pending, advised, dry run), what it recorded, "
                + "what each of its gates decides now, what its next tick would do, and the expected total improvement.",
                "The gates are the agent's own, built from the agent's config (thresholds, mode, the gateways it may "
                + "touch) over its store (cool-downs, changes in flight); each gateway's parameter version is read "
                + "with GET /params as the agent does (never a PUT)."})
final class OptimizeCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:QP_STATE_DIR:-.qp}/agent.json",
            description = "the agent's config file (bin/qp up writes $QP_STATE_DIR/agent.json). Default: ${DEFAULT-VALUE}")
    Path config;

    @Option(names = {"-o", "--agent-option"}, paramLabel = "NAME=VALUE",
            description = "an option the agent was given on its command line rather than in its config, e.g. "
                    + "-o mode=advise -o min-confidence=0.9 (names as in bin/qp agent --help)")
    Map<String, String> agentOptions = new LinkedHashMap<>();

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        PendingRecommendations.Result r;
        try (Database db = store.open(cli.clock)) {
            AgentConfig agent = agentConfig();
            DecisionPreview preview = new DecisionPreview(agent, new SqliteLedgerStore(db),
                    new AdminApiApplier(agent.gateways(), agent.get(AgentOptions.HTTP_TIMEOUT)),
                    SqliteExperimentStore.memory(db, agent), SqliteOutcomeStore.calibration(db, agent));
            r = PendingRecommendations.of(preview.preview(node, cli.clock.millis()));
        }
        if (json) {
            cli.out.println(JsonOut.of(r));
        } else {
            print(cli.out, r);
        }
        return QpCli.EXIT_OK;
    }

    private AgentConfig agentConfig() {
        if (!Files.isRegularFile(config)) {
            throw new CliException("no agent config at " + config + ": pass the agent's --config FILE (the gates need "
                    + "its thresholds and gateways; bin/qp up writes $QP_STATE_DIR/agent.json)", QpCli.EXIT_USAGE);
        }
        Map<String, String> given = new LinkedHashMap<>(agentOptions);
        if (given.containsKey(AgentOptions.CONFIG.name())) {
            throw new CliException("give the config file with --config, not -o config=...", QpCli.EXIT_USAGE);
        }
        given.put(AgentOptions.CONFIG.name(), config.toString());
        try {
            return AgentConfig.load(given, cli.env);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), QpCli.EXIT_USAGE);
        }
    }

    static void print(PrintWriter out, PendingRecommendations.Result r) {
        if (r.items().isEmpty()) {
            out.println("no pending recommendations (none pending, advised or dry run)");
            return;
        }
        out.printf("%d recommendation(s) not applied%n", r.items().size());
        for (PendingRecommendations.Item i : r.items()) {
            out.printf("%n%s  %s | %s %s -> %s | confidence %.2f, expected %.0f%% %s (%s %s)%n", i.recommendationId(),
                    i.nodeId(), i.parameter(), Format.value(i.parameter(), i.currentValue()),
                    Format.value(i.parameter(), i.proposedValue()), i.confidence(), 100 * i.expectedImprovement(),
                    i.targetMetric(), i.source(), i.ruleOrModel() == null ? "" : i.ruleOrModel());
            out.printf("  recorded: %s%s%s%n", i.status(), i.recordedGate() == null ? "" : " (gate " + i.recordedGate() + ")",
                    i.recordedReason() == null ? "" : ": " + i.recordedReason());
            for (PendingRecommendations.GateLine g : i.gates()) {
                out.printf("  %-4s %-12s %s%n", g.passes() ? "ok" : g.answer().equals("fail") ? "FAIL" : "?", g.gate(), g.why());
            }
            out.printf("  %s %s%n", i.decidedNextTick() ? "next tick:" : "decided already; if pending now:",
                    decision(i));
            out.printf("  operator apply: %s%n", i.operatorApply());
            if (i.evidence() != null) {
                out.printf("  evidence: %s%n", i.evidence());
            }
        }
        out.println();
        if (r.expectedImprovement().isEmpty()) {
            out.println("expected total improvement: none (no recommendation passes every gate)");
        } else {
            r.expectedImprovement().forEach((metric, e) ->
                    out.printf("expected total improvement of %s: %.0f%%%n", metric, 100 * e));
        }
    }

    private static String decision(PendingRecommendations.Item i) {
        return switch (i.decision()) {
            case "apply" -> "apply (passes every gate)";
            case "advise" -> "record as advised (passes every gate; advise mode)";
            case "dry_run" -> "record as a dry run (passes every gate; dry run)";
            case "reject" -> "reject (gate " + i.decidingGate() + ")";
            case "wait" -> "wait: its gateway does not answer; it stays pending";
            case "fail" -> "fail: its gateway refuses to show its parameters";
            default -> i.decision();
        };
    }
}
