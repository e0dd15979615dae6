package qp.agent.insight;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import qp.agent.tuning.DecisionPreview;
import qp.agent.tuning.GateResult;
import qp.agent.tuning.Optimization;
import qp.agent.tuning.Status;
import qp.protocol.analytics.Recommendation;

/**
 * The {@code optimize} view: the recommendations not applied (pending, advised, dry run), what the agent recorded, and
 * what its own gates say now ({@link DecisionPreview}: the agent's config, its ledger, its gateways' parameters).
 */
public final class PendingRecommendations {
    private PendingRecommendations() {
    }

    /** One gate's answer: {@code pass}, {@code fail}, or {@code not checked} (the gateway could not be asked). */
    public record GateLine(String gate, String answer, String why) {
        public boolean passes() {
            return "pass".equals(answer);
        }
    }

    /**
     * @param decidedNextTick true when the agent decides it on its next tick (pending); advised and dry-run ones were
     *                        decided already, and {@code decision} says what the gates would decide if they were pending
     * @param decision        apply, advise, dry_run, reject, wait (gateway unreachable) or fail (gateway refused)
     * @param decidingGate    the gate that stops it, when {@code decision} is reject
     * @param operatorApply   "allowed", or why an operator's apply (dashboard) would be refused
     */
    public record Item(String recommendationId, String nodeId, String parameter, long currentValue, long proposedValue,
            double confidence, double expectedImprovement, String targetMetric, String source, String ruleOrModel,
            String evidence, long paramVersion, String status, String recordedGate, String recordedReason,
            List<GateLine> gates, boolean decidedNextTick, String decision, String decidingGate, String operatorApply) {
    }

    /**
     * @param expectedImprovement per target metric, the combined expected improvement of the ones that pass every gate:
     *                            1 - product of (1 - expected) (improvements compound, they do not add up)
     */
    public record Result(List<Item> items, Map<String, Double> expectedImprovement) {
    }

    public static Result of(List<DecisionPreview.Preview> previews) {
        List<Item> items = new ArrayList<>();
        Map<String, Double> remaining = new TreeMap<>();
        for (DecisionPreview.Preview p : previews) {
            items.add(item(p));
            if (p.outcome().passesEveryGate()) {
                Recommendation r = p.optimization().recommendation();
                remaining.merge(r.targetMetric(), 1 - r.expectedImprovement(), (a, b) -> a * b);
            }
        }
        Map<String, Double> total = new LinkedHashMap<>();
        remaining.forEach((metric, left) -> total.put(metric, 1 - left));
        return new Result(items, total);
    }

    private static Item item(DecisionPreview.Preview p) {
        Optimization o = p.optimization();
        Recommendation r = o.recommendation();
        List<GateLine> gates = new ArrayList<>();
        for (GateResult g : p.gates()) {
            gates.add(line(g));
        }
        gates.add(p.stale() != null ? line(p.stale()) : new GateLine("stale", "not checked", p.gatewayProblem()));
        return new Item(r.id(), r.nodeId(), r.parameter(), r.currentValue(), r.proposedValue(), r.confidence(),
                r.expectedImprovement(), r.targetMetric(), r.source(), r.ruleOrModel(), r.evidence(), r.paramVersion(),
                o.status().wire(), o.gate() == null ? null : o.gate().wire(), o.reason(), gates,
                o.status() == Status.PENDING, p.outcome().name().toLowerCase(Locale.ROOT),
                p.rejection() == null ? null : p.rejection().gate().wire(),
                p.operatorApply() == null ? "allowed" : p.operatorApply());
    }

    private static GateLine line(GateResult g) {
        return new GateLine(g.gate().wire(), g.passes() ? "pass" : "fail", g.why());
    }
}
