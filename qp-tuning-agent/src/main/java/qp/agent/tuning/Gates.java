package qp.agent.tuning;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import qp.agent.calibration.CalibratedConfidence;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.ExperimentMemory;
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
    private final ExperimentMemory memory;
    private final ConfidenceCalibration calibration;

    public Gates(AgentConfig config, Set<String> knownNodes, LedgerStore ledger, ExperimentMemory memory,
            ConfidenceCalibration calibration) {
        this.knownNodes = Set.copyOf(knownNodes);
        this.ledger = ledger;
        this.memory = memory;
        this.calibration = calibration;
        this.minConfidence = config.get(AgentOptions.MIN_CONFIDENCE);
        this.minImprovement = config.get(AgentOptions.MIN_IMPROVEMENT);
        this.cooldown = config.get(AgentOptions.COOLDOWN);
        this.maxStepFactor = config.get(AgentOptions.MAX_STEP_FACTOR);
    }

    /** The gates an operator's apply still passes: safety, not policy (confidence, improvement, cool-down). */
    public static final Set<Gate> SAFETY = EnumSet.of(Gate.UNKNOWN_NODE, Gate.RANGE, Gate.IN_FLIGHT);

    /**
     * Every gate that the agent decides alone, each with its answer, in the order the loop checks them (the first
     * that fails is the one the loop records).
     */
    public List<GateResult> each(Recommendation r, long nowMs) {
        return List.of(unknownNode(r), range(r), confidence(r), improvement(r), maxStep(r, nowMs), inFlight(r),
                cooldown(r, nowMs), alreadyTried(r, nowMs), opposed(r, nowMs));
    }

    /** The first gate the agent decides alone that stops the recommendation. */
    public Optional<Rejection> beforeAsking(Recommendation r, long nowMs) {
        return firstFailing(each(r, nowMs));
    }

    /** The first of the {@link #SAFETY} gates that stops an operator's apply. */
    public Optional<Rejection> safety(Recommendation r) {
        return firstFailing(List.of(unknownNode(r), range(r), inFlight(r)));
    }

    /** The first failing answer, in order. */
    public static Optional<Rejection> firstFailing(List<GateResult> results) {
        return results.stream().filter(g -> !g.passes()).findFirst().flatMap(GateResult::rejection);
    }

    GateResult unknownNode(Recommendation r) {
        String known = String.join(", ", knownNodes.stream().sorted().toList());
        boolean listedInConfig = knownNodes.contains(r.nodeId());
        return listedInConfig ? GateResult.pass(Gate.UNKNOWN_NODE, "node " + r.nodeId() + " is in the agent's config")
                : GateResult.fail(Gate.UNKNOWN_NODE, "node " + r.nodeId() + " is not in the agent's config (gateways: "
                        + known + "); nothing was sent");
    }

    GateResult range(Recommendation r) {
        TunableParameter p = TunableParameter.byWireName(r.parameter());
        if (p == null) {
            return GateResult.fail(Gate.RANGE, r.parameter() + " is not a tunable parameter");
        }
        String problem = p.validate(r.proposedValue());
        if (problem != null) {
            return GateResult.fail(Gate.RANGE, problem);
        }
        return GateResult.pass(Gate.RANGE, r.proposedValue() == TunableParams.OFF && p.allowsOff()
                ? r.parameter() + " may be off" : String.format("%s %d is within %d..%d %s", r.parameter(),
                        r.proposedValue(), p.min(), p.max(), p.unit()));
    }

    /** The confidence the gate compares: calibrated on the source's outcomes once there are enough, else raw. */
    public CalibratedConfidence confidenceOf(Recommendation r) {
        return calibration.of(r.source(), r.confidence());
    }

    /** Why an exploration passes the confidence and improvement gates: it claims nothing, it asks. */
    static final String EXPLORES = "exploration: a small randomized experiment at a neighbouring value, guards armed, "
            + "adopted only if kept; it claims no confidence or improvement";

    GateResult confidence(Recommendation r) {
        if (Recommendation.SOURCE_EXPLORATION.equals(r.source())) {
            return GateResult.pass(Gate.CONFIDENCE, EXPLORES);
        }
        return confidence(confidenceOf(r));
    }

    /** The confidence gate on a confidence already calibrated (the store is read once per {@link #confidenceOf}). */
    GateResult confidence(CalibratedConfidence c) {
        boolean confidentEnough = c.used() >= minConfidence;
        return GateResult.of(Gate.CONFIDENCE, confidentEnough, String.format("%s is %s %.2f", c.describe(),
                confidentEnough ? "at least" : "below", minConfidence));
    }

    GateResult improvement(Recommendation r) {
        if (Recommendation.SOURCE_EXPLORATION.equals(r.source())) {
            return GateResult.pass(Gate.IMPROVEMENT, EXPLORES);
        }
        boolean worthTheChange = r.expectedImprovement() >= minImprovement;
        return GateResult.of(Gate.IMPROVEMENT, worthTheChange, String.format("expected improvement %.0f%% of %s is %s %.0f%%",
                100 * r.expectedImprovement(), r.targetMetric(), worthTheChange ? "at least" : "below", 100 * minImprovement));
    }

    /**
     * One change multiplies or divides a value by at most {@code --max-step-factor}. A max_connections above the open
     * connections binds nothing, so a lower limit's step is measured from what binds: the open connections of the
     * node's latest sample when fewer than the limit (1000 with 200 open -> 72 is a step of 200 -> 72).
     */
    GateResult maxStep(Recommendation r, long nowMs) {
        long from = r.currentValue();
        long to = r.proposedValue();
        boolean turningOnOrOff = from == TunableParams.OFF || to == TunableParams.OFF;
        if (turningOnOrOff || from == to) {
            return GateResult.pass(Gate.MAX_STEP, "turning on or off is one step"); // by definition
        }
        String binds = "";
        if (TunableParameter.MAX_CONNECTIONS.wireName().equals(r.parameter()) && to < from) {
            OptionalInt open = memory.sessionsNow(r.nodeId(), nowMs);
            if (open.isPresent() && open.getAsInt() > to && open.getAsInt() < from) {
                binds = String.format(" (the limit %d binds %d open connections)", from, open.getAsInt());
                from = open.getAsInt();
            }
        }
        double factor = (double) Math.max(from, to) / Math.min(from, to);
        boolean smallEnoughStep = factor <= maxStepFactor;
        return GateResult.of(Gate.MAX_STEP, smallEnoughStep, String.format("%s %d -> %d is a step of x%.1f%s, %s x%.1f at once",
                r.parameter(), from, to, factor, binds, smallEnoughStep ? "within" : "more than", maxStepFactor));
    }

    /**
     * A rule and a model never pull a parameter in opposite directions: a recommendation is rejected when another
     * source proposed the other direction from the same value for the same node within the cool-down.
     * The evidence disagrees; the first one seen went its way through the gates, and the later one waits until the
     * value moved or the cool-down passed. Explorations claim nothing and neither oppose nor are opposed.
     */
    GateResult opposed(Recommendation r, long nowMs) {
        int direction = Long.signum(r.proposedValue() - r.currentValue());
        if (Recommendation.SOURCE_EXPLORATION.equals(r.source())) {
            return GateResult.pass(Gate.OPPOSED, "an exploration claims no direction");
        }
        for (Optimization o : ledger.seenSince(r.nodeId(), r.parameter(), nowMs - cooldown.toMillis())) {
            Recommendation other = o.recommendation();
            boolean otherSource = !other.source().equals(r.source())
                    && !Recommendation.SOURCE_EXPLORATION.equals(other.source());
            if (otherSource && !other.id().equals(r.id()) && other.currentValue() == r.currentValue()
                    && Long.signum(other.proposedValue() - other.currentValue()) == -direction) {
                return GateResult.fail(Gate.OPPOSED, String.format("%s proposed %s %s -> %s %d s ago (%s); %s proposes "
                                + "the other direction, so the evidence disagrees", other.source(), r.parameter(),
                        TunableParameter.show(r.parameter(), other.currentValue()),
                        TunableParameter.show(r.parameter(), other.proposedValue()), (nowMs - o.seenAtMs()) / 1000,
                        other.ruleOrModel(), r.source()));
            }
        }
        return GateResult.pass(Gate.OPPOSED, "no other source proposed the other direction");
    }

    GateResult inFlight(Recommendation r) {
        Optional<Optimization> other = ledger.inFlight(r.nodeId()).filter(o -> !o.recommendationId().equals(r.id()));
        return other.map(o -> GateResult.fail(Gate.IN_FLIGHT, "node " + r.nodeId() + " already has a change in flight ("
                + o.parameter() + " -> " + o.recommendation().proposedValue() + ", " + o.status().wire() + ")"))
                .orElseGet(() -> GateResult.pass(Gate.IN_FLIGHT, "no other change in flight on " + r.nodeId()));
    }

    GateResult cooldown(Recommendation r, long nowMs) {
        OptionalLong last = ledger.lastChangeAt(r.nodeId(), r.parameter());
        boolean coolingDown = last.isPresent() && nowMs - last.getAsLong() < cooldown.toMillis();
        if (coolingDown) {
            return GateResult.fail(Gate.COOLDOWN, String.format("%s of %s changed %d s ago; cool-down is %d s",
                    r.parameter(), r.nodeId(), (nowMs - last.getAsLong()) / 1000, cooldown.toSeconds()));
        }
        return GateResult.pass(Gate.COOLDOWN, last.isPresent() ? String.format("%s of %s changed %d s ago; cool-down "
                + "is %d s", r.parameter(), r.nodeId(), (nowMs - last.getAsLong()) / 1000, cooldown.toSeconds())
                : String.format("%s of %s never changed through the agent", r.parameter(), r.nodeId()));
    }

    GateResult alreadyTried(Recommendation r, long nowMs) {
        Optional<String> tried = memory.alreadyTried(r.nodeId(), r.parameter(), r.currentValue(), r.proposedValue(),
                nowMs);
        return tried.map(why -> GateResult.fail(Gate.ALREADY_TRIED, why)).orElseGet(() -> GateResult.pass(
                Gate.ALREADY_TRIED, "no experiment like it failed on " + r.nodeId() + " lately, or the traffic changed since"));
    }

    /** {@code stale}: the gateway's parameters moved on since the recommendation was computed. */
    public GateResult staleness(Recommendation r, GatewayParams now) {
        boolean computedOnCurrentVersion = r.paramVersion() >= now.version();
        return GateResult.of(Gate.STALE, computedOnCurrentVersion, String.format(
                "computed against parameter version %d, the gateway is at version %d", r.paramVersion(), now.version()));
    }

    public Optional<Rejection> stale(Recommendation r, GatewayParams now) {
        return staleness(r, now).rejection();
    }
}
