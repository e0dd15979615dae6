package qp.agent.tuning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import qp.agent.calibration.ConfidenceCalibration;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.ExperimentMemory;
import qp.agent.config.GatewayEntry;
import qp.agent.gateway.Applier;
import qp.agent.gateway.GatewayException;
import qp.agent.gateway.GatewayParams;
import qp.protocol.analytics.Recommendation;

/**
 * What the agent's next tick would decide about the recommendations it has not applied, without acting: the loop's
 * own {@link Gates} built from the agent's config over the agent's ledger, in the loop's order (oldest first; a change
 * the tick would apply counts as in flight for the ones after it), and the gateways' parameters read the way the loop
 * reads them ({@code GET /params} only, never a PUT). {@code bin/qp optimize} shows it.
 */
public final class DecisionPreview {
    /** What the next tick does with a pending recommendation. */
    public enum Outcome {
        /** Passes every gate and is applied (apply mode). */
        APPLY,
        /** Passes every gate and is recorded as advised (advise mode). */
        ADVISE,
        /** Passes every gate and is recorded as a dry run. */
        DRY_RUN,
        /** A gate stops it. */
        REJECT,
        /** Its gateway does not answer: it stays pending and the loop asks again later. */
        WAIT,
        /** Its gateway refuses to show its parameters: the loop marks it failed. */
        FAIL;

        public boolean passesEveryGate() {
            return this == APPLY || this == ADVISE || this == DRY_RUN;
        }
    }

    /**
     * One recommendation not applied.
     *
     * @param gates         the gates the agent decides alone, in the loop's order
     * @param stale         the stale gate, or null when the gateway's parameters could not be read ({@code gatewayProblem})
     * @param outcome       what the next tick does with it if it is pending, or would do if it were (advised and dry-run
     *                      ones were decided already: only an operator's apply moves them on)
     * @param rejection     the gate that stops it (REJECT), else null
     * @param operatorApply null when an operator's apply (dashboard) would go through, else why it would be refused: the
     *                      {@link Gates#SAFETY} gates and stale, as the loop checks them
     */
    public record Preview(Optimization optimization, List<GateResult> gates, GateResult stale, String gatewayProblem,
            Outcome outcome, Rejection rejection, String operatorApply) {
    }

    private final AgentConfig config;
    private final LedgerStore ledger;
    private final Applier gateways;
    private final ExperimentMemory memory;
    private final ConfidenceCalibration calibration;

    /** @param gateways only {@link Applier#read} is called */
    public DecisionPreview(AgentConfig config, LedgerStore ledger, Applier gateways, ExperimentMemory memory,
            ConfidenceCalibration calibration) {
        this.config = config;
        this.ledger = ledger;
        this.gateways = gateways;
        this.memory = memory;
        this.calibration = calibration;
    }

    /** The pending, advised and dry-run recommendations ({@code nodeId} null for every node), oldest first. */
    public List<Preview> preview(String nodeId, long nowMs) {
        TickSoFar tick = new TickSoFar(ledger);
        Set<String> known = config.gateways().stream().map(GatewayEntry::nodeId).collect(Collectors.toSet());
        Gates gates = new Gates(config, known, tick, memory, calibration);
        Status passed = TuningLoop.afterGates(config.get(AgentOptions.MODE), config.get(AgentOptions.DRY_RUN));
        Map<String, Object> paramsByNode = new HashMap<>(); // GatewayParams, or the problem as a String
        List<Preview> out = new ArrayList<>();
        for (Optimization o : ledger.withStatus(Status.PENDING, Status.ADVISED, Status.DRY_RUN)) {
            if (nodeId != null && !nodeId.equals(o.nodeId())) {
                continue;
            }
            Recommendation r = o.recommendation();
            List<GateResult> each = gates.each(r, nowMs);
            Object read = known.contains(o.nodeId()) ? paramsByNode.computeIfAbsent(o.nodeId(), this::read)
                    : "not asked: node " + o.nodeId() + " is not in the agent's config";
            GateResult stale = read instanceof GatewayParams p ? gates.staleness(r, p) : null;
            String problem = read instanceof String s ? s : null;
            Optional<Rejection> stop = Gates.firstFailing(each);
            Outcome outcome;
            if (stop.isPresent()) {
                outcome = Outcome.REJECT;
            } else if (stale == null) {
                outcome = problem.startsWith("refused") ? Outcome.FAIL : Outcome.WAIT;
            } else if (!stale.passes()) {
                outcome = Outcome.REJECT;
                stop = stale.rejection();
            } else {
                outcome = switch (passed) {
                    case DRY_RUN -> Outcome.DRY_RUN;
                    case ADVISED -> Outcome.ADVISE;
                    default -> Outcome.APPLY;
                };
            }
            if (o.status() == Status.PENDING && outcome == Outcome.APPLY) {
                tick.wouldApply(o, nowMs);
            }
            out.add(new Preview(o, each, stale, problem, outcome, stop.orElse(null), operatorApply(each, stale, problem)));
        }
        return out;
    }

    private Object read(String nodeId) {
        try {
            return gateways.read(nodeId);
        } catch (GatewayException e) {
            return (e.kind() == GatewayException.Kind.UNREACHABLE ? "unreachable: " : "refused: ") + e.getMessage();
        }
    }

    /** The loop's operatorApply: safety gates, then the gateway read, then stale. */
    private static String operatorApply(List<GateResult> each, GateResult stale, String problem) {
        Optional<GateResult> unsafe = each.stream().filter(g -> Gates.SAFETY.contains(g.gate()) && !g.passes()).findFirst();
        if (unsafe.isPresent()) {
            return "gate " + unsafe.get().gate().wire() + ": " + unsafe.get().why();
        }
        if (stale == null) {
            return problem;
        }
        return stale.passes() ? null : "gate stale: " + stale.why();
    }

    /** The agent's ledger as it would be during the tick: read-only, with the changes the tick would start in flight. */
    private static final class TickSoFar implements LedgerStore {
        private final LedgerStore stored;
        private final Map<String, Optimization> applying = new HashMap<>();
        private final Map<String, Long> changedAt = new HashMap<>();

        TickSoFar(LedgerStore stored) {
            this.stored = stored;
        }

        void wouldApply(Optimization o, long nowMs) {
            // as the loop's later decisions of this tick see it: applied (the PUT answers before the next decision)
            applying.putIfAbsent(o.nodeId(), new Optimization(o.id(), o.recommendation(), Status.APPLIED, o.seenAtMs()));
            changedAt.put(o.nodeId() + "/" + o.parameter(), nowMs);
        }

        @Override
        public Optional<Optimization> inFlight(String nodeId) {
            Optional<Optimization> real = stored.inFlight(nodeId);
            return real.isPresent() ? real : Optional.ofNullable(applying.get(nodeId));
        }

        @Override
        public OptionalLong lastChangeAt(String nodeId, String parameter) {
            Long now = changedAt.get(nodeId + "/" + parameter);
            return now != null ? OptionalLong.of(now) : stored.lastChangeAt(nodeId, parameter);
        }

        @Override
        public Optional<Optimization> find(String recommendationId) {
            return stored.find(recommendationId);
        }

        @Override
        public List<Optimization> withStatus(Status... statuses) {
            return stored.withStatus(statuses);
        }

        @Override
        public List<Optimization> seenSince(String nodeId, String parameter, long sinceMs) {
            return stored.seenSince(nodeId, parameter, sinceMs);
        }

        @Override
        public boolean recordSeen(Recommendation r, long nowMs) {
            throw new UnsupportedOperationException("a preview writes nothing");
        }

        @Override
        public void save(Optimization o) {
            throw new UnsupportedOperationException("a preview writes nothing");
        }
    }
}
