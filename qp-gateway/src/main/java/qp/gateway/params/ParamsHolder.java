package qp.gateway.params;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * The tunable parameters in force, with a version that starts at 1 and grows by one per accepted change.
 * Readers on the hot path take one volatile read ({@link #current()}); writers are rare (admin API).
 */
public final class ParamsHolder {
    /** A value set and its version, read together. */
    public record Versioned(long version, TunableParams params) {
    }

    private volatile Versioned current;
    private final List<Consumer<Versioned>> listeners = new CopyOnWriteArrayList<>();

    public ParamsHolder(TunableParams initial) {
        this.current = new Versioned(1, initial);
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
     */
    public Versioned apply(Map<TunableParameter, Long> changes) {
        Versioned next;
        synchronized (this) {
            TunableParams merged = current.params().with(changes);
            if (merged.equals(current.params())) {
                return current;
            }
            next = new Versioned(current.version() + 1, merged);
            current = next;
        }
        for (Consumer<Versioned> l : listeners) {
            l.accept(next);
        }
        return next;
    }
}
