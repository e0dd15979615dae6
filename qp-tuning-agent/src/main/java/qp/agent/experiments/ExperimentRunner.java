package qp.agent.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.gateway.ExperimentApi;
import qp.agent.gateway.GatewayException;
import qp.protocol.analytics.ExperimentStats;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.Assignment;
import qp.protocol.params.TunableParameter;

/**
 * Runs one experiment at a time per node through its life: start it on the gateway at a small share, check the
 * guards on every new window, ramp the share once they held, look at the interval by the {@link SequentialRule},
 * and end it — adopting the treatment on the whole node when it was kept, back on control otherwise. Every step is
 * saved before the request that makes it, so a restart finds out from the gateway what happened (see
 * {@link ExperimentStatus}).
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    /** What a step came to. */
    public enum Outcome {
        /** Done; the experiment's status says where it is now. */
        DONE,
        /** The gateway did not answer: try again later. */
        UNREACHABLE,
        /** The gateway refused or its parameters moved meanwhile: the experiment failed (or could not end). */
        REFUSED
    }

    private final ExperimentApi gateways;
    private final ExperimentStore store;
    private final ExperimentSettings settings;

    public ExperimentRunner(ExperimentApi gateways, ExperimentStore store, ExperimentSettings settings) {
        this.gateways = gateways;
        this.store = store;
        this.settings = settings;
    }

    /** A new experiment for a change that passed the gates, recorded as starting (nothing sent yet). */
    public Experiment plan(String recommendationId, String nodeId, String parameter, long control, long treatment,
            long baseParamVersion, TrafficProfile profile, long nowMs) {
        TunableParameter p = TunableParameter.byWireName(parameter);
        Assignment a = p.assignment();
        boolean exploring = Experiment.exploratory(recommendationId);
        Experiment e = new Experiment("x-" + recommendationId, recommendationId, nodeId, parameter, control, treatment, a,
                a == Assignment.SESSION ? (exploring ? settings.explorationShare() : settings.share()) : 0, a == Assignment.SWITCHBACK ? settings.blockMillis() : 0,
                p.goalFor(control, treatment).metric(), ExperimentStatus.STARTING, nowMs);
        e.basedOn(baseParamVersion, profile == null ? null : profile.json());
        store.save(e);
        return e;
    }

    public Optional<Experiment> forRecommendation(String recommendationId) {
        return store.forRecommendation(recommendationId);
    }

    /** Sends {@code POST /experiment} conditioned on the version the plan was based on. */
    public Outcome start(Experiment e, long nowMs) {
        return start(e, nowMs, true);
    }

    /** {@code reconcile}: on 412, ask the gateway what happened (once: a POST sent again after that is not re-asked). */
    private Outcome start(Experiment e, long nowMs, boolean reconcile) {
        try {
            CrashPoint.reached(CrashPoint.BEFORE_POST, e.id());
            ExperimentApi.State s = gateways.startExperiment(e.nodeId(), e.spec(), e.baseParamVersion());
            CrashPoint.reached(CrashPoint.AFTER_POST, e.id());
            return running(e, s, nowMs);
        } catch (GatewayException ex) {
            return switch (ex.kind()) {
                case UNREACHABLE -> Outcome.UNREACHABLE;
                case VERSION_MOVED -> reconcile ? reconcile(e, nowMs, false)
                        : failed(e, "the gateway answered 412 twice although its version had not moved", nowMs);
                case REFUSED -> failed(e, "the gateway refused it: " + ex.getMessage(), nowMs);
            };
        }
    }

    /**
     * A start whose POST may or may not have landed (after a restart, or a gateway that did not answer): the gateway
     * tells. Running under our id: it landed. Not running and the version unchanged: it never arrived, send it.
     * Otherwise someone else changed the node meanwhile: give up.
     */
    public Outcome reconcileStart(Experiment e, long nowMs) {
        return reconcile(e, nowMs, true);
    }

    private Outcome reconcile(Experiment e, long nowMs, boolean mayReconcileAgain) {
        ExperimentApi.State s;
        try {
            s = gateways.readExperiment(e.nodeId());
        } catch (GatewayException ex) {
            return ex.kind() == GatewayException.Kind.UNREACHABLE ? Outcome.UNREACHABLE
                    : failed(e, "the gateway refused it: " + ex.getMessage(), nowMs);
        }
        if (s.runs(e.id())) {
            return running(e, s, nowMs);
        }
        if (s.running() == null && s.paramsVersion() == e.baseParamVersion() && !e.id().equals(s.lastEndedId())) {
            return start(e, nowMs, mayReconcileAgain);
        }
        return failed(e, String.format("the node moved from parameter version %d to %d meanwhile%s", e.baseParamVersion(),
                s.paramsVersion(), s.running() == null ? "" : " and runs experiment " + s.running().id()), nowMs);
    }

    private Outcome running(Experiment e, ExperimentApi.State s, long nowMs) {
        if (e.status() == ExperimentStatus.RUNNING) {
            return Outcome.DONE; // recorded as running before a crash (or a failed save) of the optimization's step
        }
        e.gatewayStarted(s.running() == null ? nowMs : s.running().startedAtMillis());
        e.moveTo(ExperimentStatus.RUNNING, nowMs);
        store.save(e);
        LOG.info("experiment {} on {}: {} control {} / treatment {}, {} | running", e.id(), e.nodeId(), e.parameter(),
                e.control(), e.treatment(), e.assignment() == Assignment.SESSION
                        ? String.format("%.0f%% of sessions in treatment", 100 * e.share())
                        : "switchback blocks of " + e.blockMillis() / 1000 + " s");
        return Outcome.DONE;
    }

    private Outcome failed(Experiment e, String why, long nowMs) {
        e.decided(null, null, "not started: " + why, nowMs);
        e.moveTo(ExperimentStatus.FAILED, nowMs);
        store.save(e);
        return Outcome.REFUSED;
    }

    /**
     * One look at a running experiment: the guards on every window not checked yet, the ramp, then the sequential
     * rule. Returns the verdict's look when the experiment should end now, else empty (its latest estimate saved).
     */
    public Optional<SequentialRule.Look> observe(Experiment e, long nowMs) {
        long start = e.gatewayStartedMs() == null ? e.startedAtMs() : e.gatewayStartedMs();
        long judgedFrom = start + settings.settleMs(e);
        List<ExperimentStats> judged = new ArrayList<>();
        // the agent's clock and the windows' event time may differ: the ramp moment is placed by its distance from
        // the start, which both sides saw
        Long rampedAt = e.rampedAtMs() == null ? null : start + (e.rampedAtMs() - e.startedAtMs());
        for (ExperimentStats w : store.windows(e.id(), e.nodeId(), judgedFrom)) {
            boolean straddlesRamp = rampedAt != null && w.windowStartMillis() < rampedAt
                    && w.windowEndMillis() > rampedAt;
            if (!straddlesRamp) {
                judged.add(w);
            }
        }
        ArmComparison data = new ArmComparison(e.targetMetric());
        judged.forEach(data::add);
        Optional<Breach> breach = guardsOnNewWindows(e, judged);
        long judgedUntil = judged.isEmpty() ? e.judgedUntilMs() : judged.get(judged.size() - 1).windowEndMillis();
        if (breach.isPresent()) {
            Estimate est = data.estimate(settings.rule().level());
            e.observed(est, breach.get().window().windowEndMillis(), nowMs); // exposure ends with the breaching window
            return Optional.of(new SequentialRule.Look(ExperimentVerdict.GUARD, est, breach.get().why()));
        }
        long elapsed = nowMs - e.startedAtMs();
        SequentialRule.Look look = settings.rule().look(data, elapsed, settings.minDurationMs(e), settings.maxDurationMs(e));
        e.observed(look.estimate(), judgedUntil, nowMs);
        boolean keptBeforeTheGuardsSawTheRamp = look.verdict() == ExperimentVerdict.KEPT
                && !guardsSawFullShare(e, judged, rampedAt) && elapsed < settings.maxDurationMs(e);
        if (look.verdict() != null && !keptBeforeTheGuardsSawTheRamp) {
            return Optional.of(look);
        }
        store.save(e);
        if (shouldRamp(e, judged)) {
            ramp(e, nowMs);
        }
        return Optional.empty();
    }

    /** A guard that broke, in the window where it broke. */
    private record Breach(ExperimentStats window, String why) {
    }

    /** Guards on the windows that ended after the last look; switchback compares with the latest control window. */
    private Optional<Breach> guardsOnNewWindows(Experiment e, List<ExperimentStats> judged) {
        ExperimentStats lastControl = null;
        for (ExperimentStats w : judged) {
            boolean hasControl = has(w, Arm.CONTROL);
            boolean isNew = w.windowEndMillis() > e.judgedUntilMs();
            if (isNew && has(w, Arm.TREATMENT)) {
                ExperimentStats control = e.assignment() == Assignment.SESSION || hasControl ? w : lastControl;
                if (control != null) {
                    Optional<String> b = settings.guards().breach(e.goal(), control, w);
                    if (b.isPresent()) {
                        return Optional.of(new Breach(w, b.get()));
                    }
                }
            }
            if (hasControl) {
                lastControl = w;
            }
        }
        return Optional.empty();
    }

    private static boolean has(ExperimentStats w, Arm arm) {
        return w.cells().stream().anyMatch(c -> c.arm().equals(arm.wire()));
    }

    /**
     * Named condition: a change is kept only after the guards held in a window at its full treatment share (seen in
     * the demo: at a 30 s minimum, the gain rule could keep a harmful change 1 s before the first window with half the
     * sessions in treatment reached the agent, the window that broke its guard).
     */
    private boolean guardsSawFullShare(Experiment e, List<ExperimentStats> judged, Long rampedAtGatewayTime) {
        if (e.assignment() != Assignment.SESSION || settings.share() >= settings.rampShare() || e.exploring()) {
            return true; // no ramp to wait for
        }
        return rampedAtGatewayTime != null
                && judged.stream().anyMatch(w -> w.windowStartMillis() >= rampedAtGatewayTime && has(w, Arm.TREATMENT));
    }

    /** Named condition: a session experiment ramps once a window after the settle time held every guard. */
    private boolean shouldRamp(Experiment e, List<ExperimentStats> judged) {
        return e.assignment() == Assignment.SESSION && e.share() < settings.rampShare() && !judged.isEmpty()
                && !e.exploring(); // an exploration stays small
    }

    private void ramp(Experiment e, long nowMs) {
        try {
            gateways.rampExperiment(e.nodeId(), e.id(), settings.rampShare());
            e.ramped(settings.rampShare(), nowMs);
            store.save(e);
            LOG.info("experiment {} on {}: guards held; treatment ramped to {}% of sessions", e.id(), e.nodeId(),
                    Math.round(100 * settings.rampShare()));
        } catch (GatewayException ex) {
            LOG.warn("experiment {} on {}: ramp not done yet: {}", e.id(), e.nodeId(), ex.getMessage());
        }
    }

    /** Records the verdict (ending), then asks the gateway to end it: adopt the treatment when kept. */
    public Outcome end(Experiment e, ExperimentVerdict v, Estimate estimate, String sentence, long nowMs) {
        e.decided(v, estimate, sentence, nowMs);
        e.moveTo(ExperimentStatus.ENDING, nowMs);
        store.save(e);
        return sendEnd(e, nowMs);
    }

    /** An end whose DELETE may or may not have landed: still running under our id, send it again; else it is over. */
    public Outcome reconcileEnd(Experiment e, long nowMs) {
        try {
            ExperimentApi.State s = gateways.readExperiment(e.nodeId());
            if (s.runs(e.id())) {
                return sendEnd(e, nowMs);
            }
            return ended(e, s, nowMs);
        } catch (GatewayException ex) {
            return ex.kind() == GatewayException.Kind.UNREACHABLE ? Outcome.UNREACHABLE : Outcome.REFUSED;
        }
    }

    private Outcome sendEnd(Experiment e, long nowMs) {
        try {
            CrashPoint.reached(CrashPoint.BEFORE_DELETE, e.id());
            ExperimentApi.State after = gateways.endExperiment(e.nodeId(), e.id(), e.verdict().adopts());
            CrashPoint.reached(CrashPoint.AFTER_DELETE, e.id());
            return ended(e, after, nowMs);
        } catch (GatewayException ex) {
            LOG.warn("experiment {} on {}: end not done yet: {}", e.id(), e.nodeId(), ex.getMessage());
            return ex.kind() == GatewayException.Kind.UNREACHABLE ? Outcome.UNREACHABLE : Outcome.REFUSED;
        }
    }

    /**
     * The gateway no longer runs it. A kept change must have been adopted by our own DELETE (the gateway's last ended
     * experiment says so); otherwise the gateway lost it (restarted without its state dir) and nothing was adopted.
     */
    private Outcome ended(Experiment e, ExperimentApi.State after, long nowMs) {
        boolean adoptedHere = e.id().equals(after.lastEndedId()) && "adopt".equals(after.lastEndedOutcome());
        if (e.verdict().adopts() && !adoptedHere) {
            e.decided(ExperimentVerdict.STOPPED, e.estimate(), e.sentence() + " | but the gateway no longer ran it "
                    + "(restarted without its state dir?): nothing was adopted, the node is on its own value", nowMs);
        }
        e.moveTo(ExperimentStatus.ENDED, nowMs);
        store.save(e);
        LOG.info("experiment {} on {}: {}", e.id(), e.nodeId(), e.sentence());
        return Outcome.DONE;
    }

    /** The verdict as a person reads it: the effect, its interval and the frames in each arm. */
    public static String sentence(Experiment e, SequentialRule.Look look) {
        Estimate est = look.estimate();
        String figures = est == null ? "no interval"
                : String.format("%s %s (%s interval %s to %s; control %.4g vs treatment %.4g; frames %d control / "
                        + "%d treatment)", e.targetMetric().description(), pct(est.effect()), level(est.level()),
                        pct(est.low()), pct(est.high()), est.control(), est.treatment(), est.framesControl(),
                        est.framesTreatment());
        String tail = switch (look.verdict()) {
            case KEPT -> "kept: adopted on the whole node (" + look.why() + ")";
            case NO_EFFECT -> "no_effect: the interval shows neither the minimum improvement nor harm (" + look.why()
                    + "); everyone back on control";
            case HARM -> "harm: the treatment made it worse (" + look.why() + "); everyone back on control";
            case GUARD -> "guard: " + look.why() + "; stopped at once, treatment sessions back on control";
            case TIMED_OUT -> "timed_out: " + look.why() + "; everyone back on control";
            case STOPPED -> "stopped: " + look.why() + "; everyone back on control";
        };
        return "experiment " + e.id() + ": " + figures + " | " + tail;
    }

    /** 0.95 as "95%", 0.999 as "99.9%". */
    static String level(double level) {
        return new java.math.BigDecimal(100 * level).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    /** A relative change as "-55%" / "+5%" / "±0%". */
    public static String pct(double relative) {
        long p = Math.round(100 * relative);
        return (p > 0 ? "+" : p == 0 ? "±" : "") + p + "%";
    }
}
