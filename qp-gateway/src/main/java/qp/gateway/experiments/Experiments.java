package qp.gateway.experiments;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.gateway.experiments.ExperimentState.Signal;
import qp.gateway.params.ParamsHolder;
import qp.gateway.params.ParamsHolder.Versioned;
import qp.gateway.params.PersistedParams;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The node's experiment: start, ramp and end it ({@link ExperimentState} says which of these may happen when), each
 * as one move of the versioned state, so a session sees the experiment and the values it applies to together. Every
 * accepted move bumps the params version, is persisted with the params when the gateway has a state dir, and is
 * logged as a sentence.
 */
public final class Experiments {
    private static final Logger LOG = LoggerFactory.getLogger(Experiments.class);

    /** How an experiment ended. */
    public enum Outcome {
        /** Everyone back on the control value (the node's, which never changed). */
        CONTROL,
        /** The treatment became the node's value, in the same step. */
        ADOPT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Null for a name that is neither. */
        public static Outcome ofWire(String s) {
            for (Outcome o : values()) {
                if (o.wire().equals(s)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** The last experiment that ended on this node (since the process started). */
    public record Ended(String id, String parameter, long endedAtMillis, Outcome outcome) {
    }

    private final ParamsHolder params;
    private final Clock clock;
    private final PersistedParams persisted;
    private volatile Ended lastEnded;

    /**
     * @param clock the gateway's clock (the sessions' clock): start times and switchback blocks follow it
     * @param persisted   null: an experiment lasts until the process ends
     */
    public Experiments(ParamsHolder params, Clock clock, PersistedParams persisted) {
        this.params = params;
        this.clock = clock;
        this.persisted = persisted;
    }

    /**
     * The state a gateway starts from: the config's values under the persisted ones, and the persisted experiment
     * with its own id and start time, so session hashes and the switchback schedule go on where they were. An
     * experiment that cannot go on (the node's value is no longer its control, or this build cannot read it) ends
     * with the restart: the state moves one version on and the file forgets it.
     */
    public static Versioned restore(TunableParams config, PersistedParams persisted) {
        if (persisted == null) {
            return new Versioned(1, config);
        }
        TunableParams values = persisted.over(config);
        long version = Math.max(1, persisted.version());
        ExperimentSpec e = persisted.experiment();
        String dropped = persisted.experimentProblem();
        if (e != null && values.get(e.tunable()) != e.control()) {
            dropped = "experiment " + e.id() + ": the node's " + e.parameter() + " is now "
                    + e.tunable().show(values.get(e.tunable())) + ", not its control " + e.tunable().show(e.control());
            e = null;
        }
        if (dropped == null) {
            if (e != null) {
                LOG.info("experiment {} resumed on {} (started {}): {}", e.id(), e.parameter(),
                        Instant.ofEpochMilli(e.startedAtMillis()), describe(e));
            }
            return new Versioned(version, values, e);
        }
        LOG.warn("the persisted experiment ended with the restart; every session runs with the node's values: {}",
                dropped);
        try {
            persisted.save(Map.of(), version + 1, null);
        } catch (IOException io) {
            LOG.error("could not remove the ended experiment from the state dir: {}", io.getMessage());
        }
        return new Versioned(version + 1, values);
    }

    /** Starts an experiment: control = the node's value now, started now. */
    public ParamsHolder.Change start(ExperimentRequest request, long expectedVersion) {
        long now = clock.millis();
        String problem = request.spec(params.params(), now).problem();
        if (problem != null) {
            throw badExperiment(problem);
        }
        return move(Signal.START, expectedVersion, v -> {
            ExperimentSpec spec = request.spec(v.params(), now);
            if (request.control() != null && request.control() != spec.control()) {
                TunableParameter p = spec.tunable();
                throw new ExperimentRefused(409, "CONTROL_MOVED", "control: the node's " + p.wireName() + " is "
                        + p.show(spec.control()) + ", not " + p.show(request.control())
                        + "; GET /params and decide again", v.version(), null);
            }
            String problemNow = spec.problem(); // the node's value may have moved since the check above
            if (problemNow != null) {
                throw badExperiment(problemNow);
            }
            return v.with(v.params(), spec);
        });
    }

    /** A new treatment share for a session experiment; a raised share only moves sessions into treatment. */
    public ParamsHolder.Change ramp(double share, long expectedVersion) {
        if (!(share >= ExperimentSpec.MIN_SHARE && share <= ExperimentSpec.MAX_SHARE)) {
            throw badExperiment("treatmentShare: " + share + " is outside " + ExperimentSpec.MIN_SHARE + ".."
                    + ExperimentSpec.MAX_SHARE);
        }
        return move(Signal.RAMP, expectedVersion, v -> {
            ExperimentSpec e = v.experiment();
            if (e.assignment() != Assignment.SESSION) {
                throw badExperiment("treatmentShare: experiment " + e.id() + " alternates the whole node between "
                        + "the arms in blocks (" + e.parameter() + " is assigned by switchback): there is no share "
                        + "to ramp");
            }
            return v.with(v.params(), e.withShare(share));
        });
    }

    /**
     * Ends the running experiment ({@code id}: only when it is that one; null: whichever runs). {@code ADOPT} sets
     * the node's value to the treatment in the same step, so no session ever runs the control value in between.
     */
    public ParamsHolder.Change end(Outcome outcome, String id, long expectedVersion) {
        return move(outcome == Outcome.ADOPT ? Signal.ADOPT : Signal.END, expectedVersion, v -> {
            ExperimentSpec e = v.experiment();
            if (id != null && !id.equals(e.id())) {
                throw new ExperimentRefused(409, "EXPERIMENT_MISMATCH", "experiment " + e.id() + " is running, not "
                        + id + "; GET /experiment and decide again", v.version(), e.id());
            }
            TunableParams values = outcome == Outcome.ADOPT
                    ? v.params().with(Map.of(e.tunable(), e.treatment())) : v.params();
            return v.with(values, null);
        });
    }

    /** The last experiment that ended on this node since the process started, or null. */
    public Ended lastEnded() {
        return lastEnded;
    }

    /** The one method that moves the experiment: the state machine's check, then the step, under the holder's lock. */
    private ParamsHolder.Change move(Signal signal, long expectedVersion, UnaryOperator<Versioned> step) {
        synchronized (params) { // the holder's own lock: moves reach the state file in the order they happened
            return moveAndPersist(signal, expectedVersion, step);
        }
    }

    private ParamsHolder.Change moveAndPersist(Signal signal, long expectedVersion, UnaryOperator<Versioned> step) {
        ParamsHolder.Change c = params.move(expectedVersion, v -> {
            ExperimentState to = ExperimentState.of(v).on(signal);
            if (to == null) {
                throw refusal(signal, v);
            }
            Versioned next = step.apply(v);
            if (ExperimentState.of(next) != to) {
                throw new IllegalStateException(signal + " led to " + ExperimentState.of(next) + ", not " + to);
            }
            return next;
        });
        if (c == null) {
            long now = params.version();
            throw new ExperimentRefused(412, "VERSION_MOVED", "the parameters are at version " + now + ", not "
                    + expectedVersion + "; GET /params and decide again", now, null);
        }
        if (c.changed()) {
            moved(signal, c);
        }
        return c;
    }

    private static ExperimentRefused refusal(Signal signal, Versioned v) {
        ExperimentSpec e = v.experiment();
        if (e != null) {
            return new ExperimentRefused(409, "EXPERIMENT_RUNNING", "experiment " + e.id() + " is running on this "
                    + "node (" + describe(e) + "); one experiment per node: end it first (DELETE /experiment)",
                    v.version(), e.id());
        }
        return new ExperimentRefused(404, "NO_EXPERIMENT", "no experiment runs on this node; POST /experiment "
                + "starts one", v.version(), null);
    }

    private ExperimentRefused badExperiment(String problem) {
        return new ExperimentRefused(400, "BAD_EXPERIMENT", problem, params.version(), null);
    }

    /** Persist, remember and log an accepted move. */
    private void moved(Signal signal, ParamsHolder.Change c) {
        Versioned before = c.before();
        Versioned after = c.after();
        ExperimentSpec e = signal == Signal.START || signal == Signal.RAMP ? after.experiment() : before.experiment();
        Map<TunableParameter, Long> changes = signal == Signal.ADOPT ? Map.of(e.tunable(), e.treatment()) : Map.of();
        String versions = "(params v" + before.version() + " -> v" + after.version() + ")";
        switch (signal) {
            case START -> LOG.info("experiment {} started: {} {}", e.id(), describe(e), versions);
            case RAMP -> LOG.info("experiment {} ramped: treatment share {} -> {} {}", e.id(),
                    before.experiment().treatmentShare(), e.treatmentShare(), versions);
            case END -> LOG.info("experiment {} ended on control: every unit runs {} {} again {}", e.id(),
                    e.parameter(), e.tunable().show(e.control()), versions);
            case ADOPT -> LOG.info("experiment {} adopted: {} {} -> {} for the whole node {}", e.id(), e.parameter(),
                    e.tunable().show(e.control()), e.tunable().show(e.treatment()), versions);
        }
        if (signal == Signal.END || signal == Signal.ADOPT) {
            lastEnded = new Ended(e.id(), e.parameter(), clock.millis(),
                    signal == Signal.ADOPT ? Outcome.ADOPT : Outcome.CONTROL);
        }
        if (persisted == null) {
            return;
        }
        try {
            persisted.save(changes, after.version(), after.experiment());
        } catch (IOException io) {
            // the move is in force; only its survival of a restart is lost, and the log says so
            LOG.error("params v{} (experiment {}) are in force but could not be persisted: {}", after.version(),
                    e.id(), io.getMessage());
        }
    }

    /** "compression_threshold control off, treatment 1024 bytes for 20% of sessions". */
    static String describe(ExperimentSpec e) {
        TunableParameter p = e.tunable();
        String who = e.assignment() == Assignment.SESSION
                ? "for " + Math.round(e.treatmentShare() * 100) + "% of sessions"
                : "for the whole node in alternating blocks of " + e.blockMillis() + " ms";
        return e.parameter() + " control " + p.show(e.control()) + ", treatment " + p.show(e.treatment()) + " " + who;
    }
}
