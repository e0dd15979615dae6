package qp.agent.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import qp.agent.insight.GateCheck;
import qp.agent.insight.OptimizationRow;
import qp.agent.insight.PendingRecommendations;

@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The pending recommendations (not applied: pending, advised, dry-run), the decision the agent "
                + "recorded, what each gate would decide now, and the expected total improvement.",
                "The gates are recomputed from the store with the agent's default thresholds (override below); "
                + "unknown_node needs the agent's config and is not recomputed."})
final class OptimizeCommand implements Callable<Integer> {
    @ParentCommand
    QpCli cli;

    @Mixin
    StoreOption store;

    @Option(names = "--node", paramLabel = "N", description = "only this node")
    String node;

    @Option(names = "--min-confidence", defaultValue = "0.8", description = "confidence gate. Default: ${DEFAULT-VALUE}")
    double minConfidence;

    @Option(names = "--min-improvement", defaultValue = "0.2",
            description = "expected improvement gate, 0..1. Default: ${DEFAULT-VALUE}")
    double minImprovement;

    @Option(names = "--cooldown", defaultValue = "5m", description = "cool-down per node and parameter. Default: ${DEFAULT-VALUE}")
    String cooldown;

    @Option(names = "--max-step-factor", defaultValue = "4",
            description = "largest ratio between the new and the old value. Default: ${DEFAULT-VALUE}")
    double maxStepFactor;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        GateCheck gates = new GateCheck(new GateCheck.Thresholds(minConfidence, minImprovement,
                TimeArg.duration("--cooldown", cooldown), maxStepFactor));
        PendingRecommendations.Result r = store.query(cli.clock,
                c -> new PendingRecommendations(c, gates).query(node, cli.clock.millis()));
        if (json) {
            cli.out.println(JsonOut.of(r));
        } else {
            print(cli.out, r);
        }
        return QpCli.EXIT_OK;
    }

    static void print(PrintWriter out, PendingRecommendations.Result r) {
        if (r.items().isEmpty()) {
            out.println("no pending recommendations");
            return;
        }
        out.printf("%d pending recommendation(s)%n", r.items().size());
        for (PendingRecommendations.Item i : r.items()) {
            OptimizationRow s = i.recommendation();
            out.printf("%n%s  %s | %s %s -> %s | confidence %.2f, expected %.0f%% %s (%s %s)%n", s.recommendationId(),
                    s.nodeId(), s.parameter(), Format.value(s.parameter(), s.currentValue()),
                    Format.value(s.parameter(), s.proposedValue()), s.confidence(), 100 * s.expectedImprovement(),
                    s.targetMetric(), s.source(), s.ruleOrModel() == null ? "" : s.ruleOrModel());
            out.printf("  recorded: %s%s%s%n", s.status(), s.gate() == null ? "" : " (gate " + s.gate() + ")",
                    s.reason() == null ? "" : ": " + s.reason());
            for (GateCheck.Verdict v : i.gates()) {
                out.printf("  %-4s %-12s %s%n", v.passes() ? "ok" : "FAIL", v.gate(), v.why());
            }
            out.printf("  now: %s%n", i.wouldApply() ? "would apply" : "would reject (" + i.firstFailingGate() + ")");
            if (s.evidence() != null) {
                out.printf("  evidence: %s%n", s.evidence());
            }
        }
        out.println();
        if (r.expectedImprovement().isEmpty()) {
            out.println("expected total improvement: none (no recommendation would pass the gates)");
        } else {
            r.expectedImprovement().forEach((metric, e) ->
                    out.printf("expected total improvement of %s: %.0f%%%n", metric, 100 * e));
        }
    }
}
