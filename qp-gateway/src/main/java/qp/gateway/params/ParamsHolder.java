package qp.gateway.params;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import qp.protocol.experiments.ExperimentSpec;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The tunable parameters in force and the experiment running on them, with a version that starts at 1 and grows by
 * one per accepted change of either. Readers on the hot path take one volatile read ({@link #current()}); writers
 * are rare (admin API) and go through {@link #move}; a writer that persists what it moved holds this holder's monitor
 * around the move and the save, so that the state file sees the moves in the order they happened.
 */
public final class ParamsHolder {
    /**
     * A value set, the experiment on it (null when none) and their version, read together: a session never sees the
     * values of one version with the experiment of another.
     */
    public record Versioned(long version, TunableParams params, ExperimentSpec experiment) {
        public Versioned(long version, TunableParams params) {
            this(version, params, null);
        }

        /** The same version with other values and experiment; {@link #move} gives the result its version. */
        public Versioned with(TunableParams nextParams, ExperimentSpec nextExperiment) {
            return new Versioned(version, nextParams, nextExperiment);
        }

        boolean sameStateAs(Versioned other) {
            return params.equals(other.params) && Objects.equals(experiment, other.experiment);
        }
    }

    /** An accepted move: the state before it and after it ({@code after == before} when it changed nothing). */
    public record Change(Versioned before, Versioned after) {
        public boolean changed() {
            return after != before;
        }
    }

    /** A params change that would move the parameter an experiment runs on: end the experiment first. */
    public static final class UnderExperiment extends IllegalStateException {
        private final transient ExperimentSpec experiment;

        UnderExperiment(ExperimentSpec e) {
            super(e.parameter() + " is under experiment " + e.id() + " (control " + e.tunable().show(e.control())
                    + ", treatment " + e.tunable().show(e.treatment()) + "); end it first: DELETE /experiment"
                    + "?outcome=control, or ?outcome=adopt to keep the treatment");
            this.experiment = e;
        }

        public ExperimentSpec experiment() {
            return experiment;
        }
    }

    private volatile Versioned current;
    private final List<Consumer<Versioned>> listeners = new CopyOnWriteArrayList<>();

    public ParamsHolder(TunableParams initial) {
        this(initial, 1);
    }

    /** Starts at {@code version} (a restart continues the version it persisted, so versions never go back). */
    public ParamsHolder(TunableParams initial, long version) {
        this(new Versioned(version, initial));
    }

    /** Starts from a restored state, experiment included. */
    public ParamsHolder(Versioned initial) {
        this.current = initial;
    }

    public Versioned current() {
        return current;
    }

    public TunableParams params() {
        return current.params();
    }

    public long version() {
        return current.version();
    }

    /** Called after every accepted change, on the thread that made it. */
    public void onChange(Consumer<Versioned> listener) {
        listeners.add(listener);
    }

    /**
     * Applies already-validated changes at once. A change that sets every value to what it already is
     * is no change: the version stays.
     *
     * @throws UnderExperiment when a change would move the parameter of the running experiment
     */
    public Versioned apply(Map<TunableParameter, Long> changes) {
        return applyIfVersion(changes, -1);
    }

    /**
     * Like {@link #apply}, but only while the version is still {@code expectedVersion} (-1: any); returns null, and
     * changes nothing, when it has moved on. The check and the change are one step (If-Match of the admin API).
     */
    public Versioned applyIfVersion(Map<TunableParameter, Long> changes, long expectedVersion) {
        Change c = move(expectedVersion, v -> {
            TunableParams merged = v.params().with(changes);
            ExperimentSpec e = v.experiment();
            if (e != null && merged.get(e.tunable()) != v.params().get(e.tunable())) {
                throw new UnderExperiment(e); // its control arm is the node's value: moving it voids the comparison
            }
            return v.with(merged, e);
        });
        return c == null ? null : c.after();
    }

    /**
     * The one way the state changes: {@code step} computes the next values and experiment from the state in force,
     * under the holder's lock, while the version is still {@code expectedVersion} (-1: any). Returns null, changing
     * nothing, when the version has moved; an exception from {@code step} refuses the move and reaches the caller.
     * A step that changes nothing keeps the version; any other gets the next one.
     */
    public Change move(long expectedVersion, UnaryOperator<Versioned> step) {
        Versioned before;
        Versioned next;
        synchronized (this) {
            before = current;
            if (expectedVersion >= 0 && before.version() != expectedVersion) {
                return null;
            }
            Versioned proposed = step.apply(before);
            if (proposed.sameStateAs(before)) {
                return new Change(before, before);
            }
            next = new Versioned(before.version() + 1, proposed.params(), proposed.experiment());
            current = next;
        }
        for (Consumer<Versioned> l : listeners) {
            l.accept(next);
        }
        return new Change(before, next);
    }
}
