package qp.agent.tuning;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.gateway.GatewayParams;
import qp.protocol.analytics.Recommendation;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The gates a recommendation passes before it is applied, each configurable and each naming itself when it stops
 * one. {@link #beforeAsking} needs no gateway (so a recommendation for an unknown node is stopped before any request);
 * {@link #stale} compares with what the gateway reports.
 */
public final class Gates {
    private final Set<String> knownNodes;
    private final LedgerStore ledger;
    private final double minConfidence;
    private final double minImprovement;
    private final Duration cooldown;
    private final double maxStepFactor;

    public Gates(AgentConfig config, Set<String> knownNodes, LedgerStore ledger) {
        this.knownNodes = Set.copyOf(knownNodes);
        this.ledger = ledger;
        this.minConfidence = config.get(AgentOptions.MIN_CONFIDENCE);
        this.minImprovement = config.get(AgentOptions.MIN_IMPROVEMENT);
        this.cooldown = config.get(AgentOptions.COOLDOWN);
        this.maxStepFactor = config.get(AgentOptions.MAX_STEP_FACTOR);
    }

    /** Every gate that the agent decides alone, in order; the first that stops the recommendation. */
    public Optional<Rejection> beforeAsking(Recommendation r, long nowMs) {
        return firstOf(unknownNode(r), range(r), confidence(r), improvement(r), maxStep(r), inFlight(r),
                cooldown(r, nowMs));
    }

    /** The gates an operator's apply still passes: safety, not policy (confidence, improvement, cool-down). */
    public Optional<Rejection> safety(Recommendation r) {
        return firstOf(unknownNode(r), range(r), inFlight(r));
    }

    @SafeVarargs
    private static Optional<Rejection> firstOf(Optional<Rejection>... checks) {
        for (Optional<Rejection> c : checks) {
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    Optional<Rejection> unknownNode(Recommendation r) {
        boolean listedInConfig = knownNodes.contains(r.nodeId());
        return listedInConfig ? Optional.empty() : Optional.of(new Rejection(Gate.UNKNOWN_NODE, "node " + r.nodeId()
                + " is not in the agent's config (gateways: " + String.join(", ", knownNodes.stream().sorted().toList())
                + "); nothing was sent"));
    }

    Optional<Rejection> range(Recommendation r) {
        TunableParameter p = TunableParameter.byWireName(r.parameter());
        if (p == null) {
            return Optional.of(new Rejection(Gate.RANGE, r.parameter() + " is not a tunable parameter"));
        }
        String problem = p.validate(r.proposedValue());
        return problem == null ? Optional.empty() : Optional.of(new Rejection(Gate.RANGE, problem));
    }

    Optional<Rejection> confidence(Recommendation r) {
        boolean confidentEnough = r.confidence() >= minConfidence;
        return confidentEnough ? Optional.empty() : Optional.of(new Rejection(Gate.CONFIDENCE, String.format(
                "confidence %.2f is below %.2f", r.confidence(), minConfidence)));
    }

    Optional<Rejection> improvement(Recommendation r) {
        boolean worthTheChange = r.expectedImprovement() >= minImprovement;
        return worthTheChange ? Optional.empty() : Optional.of(new Rejection(Gate.IMPROVEMENT, String.format(
                "expected improvement %.0f%% of %s is below %.0f%%", 100 * r.expectedImprovement(), r.targetMetric(),
                100 * minImprovement)));
    }

    Optional<Rejection> maxStep(Recommendation r) {
        long from = r.currentValue();
        long to = r.proposedValue();
        boolean turningOnOrOff = from == TunableParams.OFF || to == TunableParams.OFF;
        if (turningOnOrOff || from == to) {
            return Optional.empty(); // one step by definition
        }
        double factor = (double) Math.max(from, to) / Math.min(from, to);
        boolean smallEnoughStep = factor <= maxStepFactor;
        return smallEnoughStep ? Optional.empty() : Optional.of(new Rejection(Gate.MAX_STEP, String.format(
                "%s %d -> %d is a step of x%.1f, more than x%.1f at once", r.parameter(), from, to, factor, maxStepFactor)));
    }

    Optional<Rejection> inFlight(Recommendation r) {
        Optional<Optimization> other = ledger.inFlight(r.nodeId()).filter(o -> !o.recommendationId().equals(r.id()));
        return other.map(o -> new Rejection(Gate.IN_FLIGHT, "node " + r.nodeId() + " already has a change in flight ("
                + o.parameter() + " -> " + o.recommendation().proposedValue() + ", " + o.status().wire() + ")"));
    }

    Optional<Rejection> cooldown(Recommendation r, long nowMs) {
        OptionalLong last = ledger.lastChangeAt(r.nodeId(), r.parameter());
        boolean coolingDown = last.isPresent() && nowMs - last.getAsLong() < cooldown.toMillis();
        return coolingDown ? Optional.of(new Rejection(Gate.COOLDOWN, String.format(
                "%s of %s changed %d s ago; cool-down is %d s", r.parameter(), r.nodeId(),
                (nowMs - last.getAsLong()) / 1000, cooldown.toSeconds()))) : Optional.empty();
    }

    /** {@code stale}: the gateway's parameters moved on since the recommendation was computed. */
    public Optional<Rejection> stale(Recommendation r, GatewayParams now) {
        boolean computedOnCurrentVersion = r.paramVersion() >= now.version();
        return computedOnCurrentVersion ? Optional.empty() : Optional.of(new Rejection(Gate.STALE, String.format(
                "computed against parameter version %d, the gateway is at version %d", r.paramVersion(), now.version())));
    }
}
