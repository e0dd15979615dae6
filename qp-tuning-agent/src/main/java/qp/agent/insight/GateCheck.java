package qp.agent.insight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * What each gate would decide about a recommendation now: a read-side recomputation for {@code optimize}, from the
 * store alone. The agent's own gates (qp.agent.gates) are the ones that decide; this mirrors their defaults
 * (issue 9) and leaves out {@code unknown_node}, which needs the agent's config.
 */
public final class GateCheck {

    /** The thresholds; the defaults are the agent's. */
    public record Thresholds(double minConfidence, double minImprovement, Duration cooldown, double maxStepFactor) {
        public static final Thresholds DEFAULTS = new Thresholds(0.8, 0.2, Duration.ofMinutes(5), 4.0);
    }

    /** What the store says about the recommendation's node and parameter. */
    public record Context(Long lastChangeMillis, List<String> inFlightIds, Long nodeParamVersion, long nowMillis) {
    }

    /** One gate's verdict, with a sentence. */
    public record Verdict(String gate, boolean passes, String why) {
    }

    private final Thresholds t;

    public GateCheck(Thresholds thresholds) {
        this.t = thresholds;
    }

    public List<Verdict> check(OptimizationRow r, Context c) {
        List<Verdict> out = new ArrayList<>();
        out.add(new Verdict("confidence", r.confidence() >= t.minConfidence(),
                String.format("confidence %.2f %s %.2f", r.confidence(), r.confidence() >= t.minConfidence() ? ">=" : "<",
                        t.minConfidence())));
        boolean enough = r.expectedImprovement() >= t.minImprovement();
        out.add(new Verdict("improvement", enough, String.format("expected improvement %.0f%% %s %.0f%%",
                100 * r.expectedImprovement(), enough ? ">=" : "<", 100 * t.minImprovement())));
        TunableParameter p = TunableParameter.byWireName(r.parameter());
        String outOfRange = p == null ? "no such parameter: " + r.parameter() : p.validate(r.proposedValue());
        out.add(new Verdict("range", outOfRange == null, outOfRange == null
                ? r.proposedValue() + " is inside " + p.min() + ".." + p.max() + " " + p.unit() : outOfRange));
        boolean cooling = c.lastChangeMillis() != null
                && c.nowMillis() - c.lastChangeMillis() < t.cooldown().toMillis();
        out.add(new Verdict("cooldown", !cooling, cooling
                ? "last change of " + r.parameter() + " " + (c.nowMillis() - c.lastChangeMillis()) / 1000
                        + " s ago, cool-down " + t.cooldown().toSeconds() + " s"
                : "no change of " + r.parameter() + " within " + t.cooldown().toSeconds() + " s"));
        boolean tooBig = stepTooBig(r.currentValue(), r.proposedValue());
        out.add(new Verdict("max_step", !tooBig, tooBig
                ? r.currentValue() + " -> " + r.proposedValue() + " is more than a factor " + t.maxStepFactor()
                : "step within a factor " + t.maxStepFactor()));
        List<String> others = c.inFlightIds().stream().filter(id -> !id.equals(r.recommendationId())).toList();
        out.add(new Verdict("in_flight", others.isEmpty(), others.isEmpty() ? "no other change in flight on "
                + r.nodeId() : "change " + others.get(0) + " is still in flight on " + r.nodeId()));
        boolean stale = c.nodeParamVersion() != null && r.paramVersion() < c.nodeParamVersion();
        out.add(new Verdict("stale", !stale, stale
                ? "computed against parameter version " + r.paramVersion() + ", the node is at " + c.nodeParamVersion()
                : c.nodeParamVersion() == null ? "the node's parameter version is unknown (no samples)"
                        : "parameter version " + r.paramVersion() + " is current"));
        return out;
    }

    /** A change from or to "off" is one step; otherwise the ratio of new to old may not exceed the factor. */
    private boolean stepTooBig(long current, long proposed) {
        if (current == TunableParams.OFF || proposed == TunableParams.OFF || current <= 0 || proposed <= 0) {
            return false;
        }
        double ratio = (double) Math.max(current, proposed) / Math.min(current, proposed);
        return ratio > t.maxStepFactor();
    }
}
