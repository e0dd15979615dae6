package qp.agent.tuning;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.calibration.CalibratedConfidence;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.Estimate;
import qp.agent.experiments.Experiment;
import qp.agent.experiments.ExperimentMemory;
import qp.agent.experiments.ExperimentRunner;
import qp.agent.experiments.ExperimentStatus;
import qp.agent.experiments.ExperimentVerdict;
import qp.agent.experiments.SequentialRule;
import qp.agent.gateway.Applier;
import qp.agent.gateway.GatewayException;
import qp.agent.gateway.GatewayParams;
import qp.protocol.analytics.Recommendation;
import qp.protocol.experiments.Assignment;

/**
 * The agent's loop, one {@link #tick()} at a time: take new recommendations ({@link RecommendationSource}) into the
 * ledger, decide the pending ones ({@link Gates}), prove those that pass by an experiment on the gateway
 * ({@link ExperimentRunner}: randomized arms at the same time, a verdict on an interval), adopt the ones it kept and
 * send the node back to control for the rest. Every step is saved in the {@link LedgerStore} (and the experiment's
 * in its store) with a sentence before the request that makes it, so that a restart picks up where the last run
 * stopped without applying anything twice: an optimization is {@code applying} while its experiment starts,
 * {@code applied} while it runs, then {@code verified} (kept and adopted) or {@code rolled_back} (everyone back on
 * control).
 */
public final class TuningLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TuningLoop.class);
    public static final String AGENT = "agent";

    private final RecommendationSource source;
    private final Gates gates;
    private final Applier applier;
    private final ExperimentRunner experiments;
    private final ExperimentMemory memory;
    private final LedgerStore ledger;
    private final Clock clock;
    private final AgentOptions.Mode mode;
    private final boolean dryRun;
    private final NodeBackoff backoff;
    private final Explorer explorer;
    private final List<String> nodes;

    public TuningLoop(AgentConfig config, RecommendationSource source, Gates gates, Applier applier,
            ExperimentRunner experiments, ExperimentMemory memory, LedgerStore ledger, Clock clock) {
        this.source = source;
        this.gates = gates;
        this.applier = applier;
        this.experiments = experiments;
        this.memory = memory;
        this.ledger = ledger;
        this.clock = clock;
        this.mode = config.get(AgentOptions.MODE);
        this.dryRun = config.get(AgentOptions.DRY_RUN);
        this.backoff = new NodeBackoff(config.get(AgentOptions.RETRY_BACKOFF_MAX).toMillis());
        this.explorer = new Explorer(config, ledger, memory);
        this.nodes = config.gateways().stream().map(g -> g.nodeId()).toList();
    }

    /** One round of every stage. */
    public synchronized void tick() {
        List<Recommendation> fresh = source.poll(); // may wait a little: the time is read after it
        long now = clock.millis();
        for (Recommendation r : fresh) {
            ledger.recordSeen(r, now);
        }
        source.commit();
        for (Optimization o : ledger.withStatus(Status.PENDING)) {
            decide(o, now);
        }
        for (Optimization o : ledger.withStatus(Status.APPLYING)) {
            if (backoff.ready(o.nodeId(), now)) {
                reconcileApplying(o, now);
            }
        }
        for (Optimization o : ledger.withStatus(Status.APPLIED)) {
            verify(o, now);
        }
        for (String node : nodes) {
            if (explorer.idle(node, now) && backoff.ready(node, now)) {
                explore(node, now);
            }
        }
    }

    /** An idle node's next exploration, recorded as a pending recommendation: the next tick gates it like any. */
    private void explore(String node, long now) {
        GatewayParams p;
        try {
            p = applier.read(node);
            backoff.answered(node);
        } catch (GatewayException e) {
            if (e.kind() == GatewayException.Kind.UNREACHABLE) {
                backoff.failed(node, now);
            }
            LOG.warn("node {} | exploration: cannot read its parameters: {}", node, e.getMessage());
            return;
        }
        explorer.next(node, p, now).filter(r -> ledger.recordSeen(r, now))
                .ifPresent(r -> LOG.info("node {} | {}", node, r.evidence()));
    }

    private void decide(Optimization o, long now) {
        Recommendation r = o.recommendation();
        Optional<Rejection> stop = gates.beforeAsking(r, now);
        if (stop.isPresent()) {
            reject(o, stop.get(), now);
            return;
        }
        if (!backoff.ready(o.nodeId(), now)) {
            return; // its gateway did not answer lately; it stays pending, the others go on
        }
        GatewayParams p = read(o, now);
        if (p == null) {
            return;
        }
        Optional<Rejection> stale = gates.stale(r, p);
        if (stale.isPresent()) {
            reject(o, stale.get(), now);
            return;
        }
        String calibrated = calibratedConfidence(r);
        switch (afterGates(mode, dryRun)) {
            case DRY_RUN -> step(o, Status.DRY_RUN, "passed every gate" + calibrated + " | dry run: not applied", AGENT, now);
            case ADVISED -> step(o, Status.ADVISED, "passed every gate" + calibrated + " | advise mode: not applied", AGENT,
                    now);
            default -> startApplying(o, p, calibrated, AGENT, now);
        }
    }

    /** " | calibrated confidence 0.90 (raw 0.75, ...) is at least 0.80" when the gate calibrated it, else "". */
    private String calibratedConfidence(Recommendation r) {
        CalibratedConfidence c = gates.confidenceOf(r);
        return c.calibrated() ? " | " + gates.confidence(c).why() : "";
    }

    /** Where a recommendation that passed every gate goes: recorded as a dry run, as advised, or applied. */
    static Status afterGates(AgentOptions.Mode mode, boolean dryRun) {
        if (dryRun) {
            return Status.DRY_RUN;
        }
        return mode == AgentOptions.Mode.ADVISE ? Status.ADVISED : Status.APPLYING;
    }

    /**
     * Records the intent and the experiment (durable), then starts the experiment on the gateway, conditioned on the
     * version just read.
     */
    private void startApplying(Optimization o, GatewayParams p, String passed, String actor, long now) {
        long control = p.value(o.parameter());
        o.intent(control, p.version(), p.instanceId());
        Experiment e = experiments.plan(o.recommendationId(), o.nodeId(), o.parameter(), control,
                o.recommendation().proposedValue(), p.version(), memory.profileNow(o.nodeId(), now), now);
        step(o, Status.APPLYING, String.format("starting experiment %s: %s, judged on %s (expected %s %s), "
                + "If-Match v%d", e.id(), arms(e), e.targetMetric().wire(),
                ExperimentRunner.pct(-o.recommendation().expectedImprovement()), o.recommendation().targetMetric(), p.version())
                + passed, actor, now);
        afterStart(o, e, experiments.start(e, now), actor, now);
    }

    private static String arms(Experiment e) {
        return e.assignment() == Assignment.SESSION
                ? String.format("%.0f%% of sessions get %s", 100 * e.share(), Sentences.show(e.parameter(), e.treatment()))
                : String.format("the node alternates %s and %s in blocks of %d s", Sentences.show(e.parameter(),
                        e.control()), Sentences.show(e.parameter(), e.treatment()), e.blockMillis() / 1000);
    }

    private void afterStart(Optimization o, Experiment e, ExperimentRunner.Outcome outcome, String actor, long now) {
        if (outcome == ExperimentRunner.Outcome.UNREACHABLE) {
            unreachable(o, new GatewayException(GatewayException.Kind.UNREACHABLE, o.nodeId() + " did not answer "
                    + "POST /experiment"), now);
            return;
        }
        backoff.answered(o.nodeId());
        if (e.status() == ExperimentStatus.RUNNING) {
            GatewayParams started = read(o, now);
            if (started != null) {
                o.confirmedAt(started.version(), started.instanceId());
            }
            step(o, Status.APPLIED, "experiment " + e.id() + " running | judging the arms", actor, now);
        } else if (e.status() == ExperimentStatus.FAILED) {
            step(o, Status.FAILED, "failed: experiment " + e.id() + " " + e.sentence(), actor, now);
        }
    }

    /** Changes applied by a PUT (an agent before experiments, still applying at an upgrade): finished the old way. */
    private void send(Optimization o, String actor, long now) {
        try {
            GatewayParams after = applier.put(o.nodeId(), o.parameter(), o.recommendation().proposedValue(),
                    o.baseParamVersion());
            backoff.answered(o.nodeId());
            o.confirmedAt(after.version(), after.instanceId());
            step(o, Status.APPLIED, String.format("applied: parameter version v%d -> v%d", o.baseParamVersion(),
                    after.version()), actor, now);
        } catch (GatewayException e) {
            switch (e.kind()) {
                case UNREACHABLE -> unreachable(o, e, now);
                case VERSION_MOVED -> reconcilePut(o, now);
                case REFUSED -> step(o, Status.FAILED, "failed: " + e.getMessage(), actor, now);
            }
        }
    }

    private void reconcileApplying(Optimization o, long now) {
        Optional<Experiment> e = experiments.forRecommendation(o.recommendationId());
        if (e.isEmpty()) {
            reconcilePut(o, now);
            return;
        }
        String actor = o.actor() == null ? AGENT : o.actor();
        afterStart(o, e.get(), experiments.reconcileStart(e.get(), now), actor, now);
    }

    /**
     * An intent whose PUT may or may not have landed (after a restart, or a gateway that did not answer): the
     * gateway's version tells. Unchanged: the PUT never arrived, send it. Moved and holding the proposed value: it
     * arrived, record it. Moved to something else: someone else changed the parameters meanwhile; give up.
     */
    private void reconcilePut(Optimization o, long now) {
        GatewayParams p = read(o, now);
        if (p == null) {
            return;
        }
        boolean putNeverArrived = p.version() == o.baseParamVersion();
        boolean putArrived = !putNeverArrived && p.value(o.parameter()) == o.recommendation().proposedValue();
        if (putNeverArrived) {
            send(o, o.actor() == null ? AGENT : o.actor(), now);
        } else if (putArrived) {
            o.confirmedAt(p.version(), p.instanceId());
            step(o, Status.APPLIED, String.format("applied: the gateway already holds it at v%d (the PUT had landed) "
                    + "| verifying", p.version()), o.actor() == null ? AGENT : o.actor(), now);
        } else {
            step(o, Status.FAILED, String.format("failed: the gateway's parameters moved from v%d to v%d meanwhile "
                    + "and %s is %s; not applied", o.baseParamVersion(), p.version(), o.parameter(),
                    Sentences.show(o.parameter(), p.value(o.parameter()))), AGENT, now);
        }
    }

    /** An applied change: its experiment is judged, or its end reconciled; then it is verified or rolled back. */
    private void verify(Optimization o, long now) {
        Optional<Experiment> found = experiments.forRecommendation(o.recommendationId());
        if (found.isEmpty()) {
            // applied by an agent before experiments: never proven, so the node goes back to what it was
            if (backoff.ready(o.nodeId(), now)) {
                rollBack(o, "rolled back: applied without an experiment (by an agent before experiments), so it "
                        + "cannot be shown to help", AGENT, now);
            }
            return;
        }
        Experiment e = found.get();
        if (e.status() == ExperimentStatus.RUNNING) {
            Optional<SequentialRule.Look> look = experiments.observe(e, now);
            if (look.isEmpty()) {
                return;
            }
            if (!backoff.ready(o.nodeId(), now)) {
                return;
            }
            afterEnd(o, e, experiments.end(e, look.get().verdict(), look.get().estimate(),
                    ExperimentRunner.sentence(e, look.get()), now), AGENT, now);
        } else if (e.status() == ExperimentStatus.ENDING && backoff.ready(o.nodeId(), now)) {
            afterEnd(o, e, experiments.reconcileEnd(e, now), AGENT, now);
        }
    }

    private void afterEnd(Optimization o, Experiment e, ExperimentRunner.Outcome outcome, String actor, long now) {
        if (outcome == ExperimentRunner.Outcome.UNREACHABLE) {
            unreachable(o, new GatewayException(GatewayException.Kind.UNREACHABLE, o.nodeId() + " did not answer "
                    + "DELETE /experiment"), now);
            return;
        }
        backoff.answered(o.nodeId());
        if (e.status() != ExperimentStatus.ENDED) {
            return; // refused: tried again at the next tick, and the log says why
        }
        Estimate est = e.estimate();
        if (est != null) {
            o.measured(est.control(), est.treatment(), -est.effect());
        }
        step(o, e.verdict().adopts() ? Status.VERIFIED : Status.ROLLED_BACK, e.sentence(), actor, now);
    }

    /** Restores the previous value; true when it is back (or already was). */
    private boolean rollBack(Optimization o, String why, String actor, long now) {
        GatewayParams p = read(o, now);
        if (p == null) {
            return false;
        }
        long previous = o.previousValue();
        if (p.value(o.parameter()) == previous) {
            step(o, Status.ROLLED_BACK, why + " (" + Sentences.show(o.parameter(), previous) + " already in place)", actor, now);
            return true;
        }
        try {
            GatewayParams after = applier.put(o.nodeId(), o.parameter(), previous, p.version());
            backoff.answered(o.nodeId());
            step(o, Status.ROLLED_BACK, why + String.format(" (%s restored at v%d)", Sentences.show(o.parameter(),
                    previous), after.version()), actor, now);
            return true;
        } catch (GatewayException e) {
            if (e.kind() == GatewayException.Kind.UNREACHABLE) {
                unreachable(o, e, now);
            } else {
                LOG.warn("{}", Sentences.line(o, "rollback not done yet: " + e.getMessage()));
            }
            return false;
        }
    }

    private GatewayParams read(Optimization o, long now) {
        try {
            GatewayParams p = applier.read(o.nodeId());
            backoff.answered(o.nodeId());
            return p;
        } catch (GatewayException e) {
            if (e.kind() == GatewayException.Kind.UNREACHABLE) {
                unreachable(o, e, now);
            } else if (o.status().canMoveTo(Status.FAILED)) {
                step(o, Status.FAILED, "failed: " + e.getMessage(), AGENT, now);
            } else {
                LOG.warn("{}", Sentences.line(o, e.getMessage()));
            }
            return null;
        }
    }

    private void unreachable(Optimization o, GatewayException e, long now) {
        backoff.failed(o.nodeId(), now);
        o.attemptFailed("waiting for the gateway: " + e.getMessage(), now);
        ledger.save(o);
        LOG.warn("{}", Sentences.line(o, o.status().wire() + ", attempt " + o.attempts() + ": " + e.getMessage()));
    }

    private void reject(Optimization o, Rejection r, long now) {
        o.reject(r.gate(), Sentences.line(o, "rejected by gate " + r.gate().wire() + ": " + r.reason()), AGENT, now);
        ledger.save(o);
        LOG.info("{}", o.reason());
    }

    private void step(Optimization o, Status next, String tail, String actor, long now) {
        o.moveTo(next, Sentences.line(o, tail), actor, now);
        ledger.save(o);
        LOG.info("{}", o.reason());
    }

    // ---- what operators may do (OperatorActions delegates here; one lock with the loop)

    synchronized ActionOutcome operatorApply(String recommendationId, String actor) {
        Optional<Optimization> found = ledger.find(recommendationId);
        if (found.isEmpty()) {
            return ActionOutcome.no("unknown", "no recommendation " + recommendationId);
        }
        Optimization o = found.get();
        long now = clock.millis();
        switch (o.status()) {
            case APPLYING, APPLIED, VERIFIED -> {
                return ActionOutcome.yes(o, "already " + o.status().wire());
            }
            case ROLLED_BACK, FAILED -> {
                return ActionOutcome.no(o, "it is " + o.status().wire() + "; wait for a new recommendation");
            }
            default -> { }
        }
        Optional<Rejection> unsafe = gates.safety(o.recommendation());
        if (unsafe.isPresent()) {
            return ActionOutcome.no(o, "not applied: gate " + unsafe.get().gate().wire() + ": " + unsafe.get().reason());
        }
        GatewayParams p;
        try {
            p = applier.read(o.nodeId());
        } catch (GatewayException e) {
            return ActionOutcome.no(o, "not applied: " + e.getMessage());
        }
        Optional<Rejection> stale = gates.stale(o.recommendation(), p);
        if (stale.isPresent()) {
            return ActionOutcome.no(o, "not applied: gate stale: " + stale.get().reason());
        }
        if (o.status() == Status.PENDING || o.status() == Status.ADVISED || o.status() == Status.DRY_RUN
                || o.status() == Status.REJECTED) {
            startApplying(o, p, "", actor, now);
        }
        return ActionOutcome.of(o.status().inFlight() || o.status() == Status.APPLIED, o, o.reason());
    }

    synchronized ActionOutcome operatorReject(String recommendationId, String actor, String reason) {
        Optional<Optimization> found = ledger.find(recommendationId);
        if (found.isEmpty()) {
            return ActionOutcome.no("unknown", "no recommendation " + recommendationId);
        }
        Optimization o = found.get();
        if (o.status() == Status.REJECTED) {
            return ActionOutcome.yes(o, "already rejected: " + o.reason());
        }
        if (!o.status().canMoveTo(Status.REJECTED)) {
            return ActionOutcome.no(o, "it is " + o.status().wire() + (o.status() == Status.APPLIED
                    || o.status() == Status.VERIFIED ? "; roll it back instead" : ""));
        }
        o.reject(Gate.OPERATOR, Sentences.line(o, "rejected by " + actor + (reason == null || reason.isBlank() ? ""
                : ": " + reason)), actor, clock.millis());
        ledger.save(o);
        LOG.info("{}", o.reason());
        return ActionOutcome.yes(o, o.reason());
    }

    synchronized ActionOutcome operatorRollback(String recommendationId, String actor) {
        Optional<Optimization> found = ledger.find(recommendationId);
        if (found.isEmpty()) {
            return ActionOutcome.no("unknown", "no recommendation " + recommendationId);
        }
        Optimization o = found.get();
        if (o.status() == Status.ROLLED_BACK) {
            return ActionOutcome.yes(o, "already rolled back: " + o.reason());
        }
        if (o.status() != Status.APPLIED && o.status() != Status.VERIFIED) {
            return ActionOutcome.no(o, "it is " + o.status().wire() + "; only an applied or verified change can be rolled back");
        }
        Optional<Experiment> running = o.status() == Status.APPLIED
                ? experiments.forRecommendation(o.recommendationId()) : Optional.empty();
        if (running.isPresent()) {
            return stopExperiment(o, running.get(), actor);
        }
        boolean done = rollBack(o, "rolled back by " + actor, actor, clock.millis());
        return done ? ActionOutcome.yes(o, o.reason()) : ActionOutcome.no(o, "not rolled back yet: " + o.reason());
    }

    /** An operator's rollback of a change whose experiment runs: the experiment ends, everyone back on control. */
    private ActionOutcome stopExperiment(Optimization o, Experiment e, String actor) {
        long now = clock.millis();
        ExperimentRunner.Outcome out;
        if (e.status() == ExperimentStatus.RUNNING) {
            String why = "stopped by " + actor;
            out = experiments.end(e, ExperimentVerdict.STOPPED, e.estimate(),
                    ExperimentRunner.sentence(e, new SequentialRule.Look(ExperimentVerdict.STOPPED, e.estimate(), why)),
                    now);
        } else if (e.status() == ExperimentStatus.ENDING) {
            out = experiments.reconcileEnd(e, now);
        } else {
            return ActionOutcome.no(o, "its experiment is " + e.status().wire());
        }
        afterEnd(o, e, out, actor, now);
        return o.status() == Status.APPLIED ? ActionOutcome.no(o, "not ended yet: " + o.reason())
                : ActionOutcome.yes(o, o.reason());
    }

    /** What an operator's action came to. */
    record ActionOutcome(boolean ok, String status, String message) {
        static ActionOutcome yes(Optimization o, String message) {
            return new ActionOutcome(true, o.status().wire(), message);
        }

        static ActionOutcome no(Optimization o, String message) {
            return new ActionOutcome(false, o.status().wire(), message);
        }

        static ActionOutcome no(String status, String message) {
            return new ActionOutcome(false, status, message);
        }

        static ActionOutcome of(boolean ok, Optimization o, String message) {
            return new ActionOutcome(ok, o.status().wire(), message);
        }
    }
}
