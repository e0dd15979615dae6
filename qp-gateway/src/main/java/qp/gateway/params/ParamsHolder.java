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
        this(initial, 1);
    }

    /** Starts at {@code version} (a restart continues the version it persisted, so versions never go back). */
    public ParamsHolder(TunableParams initial, long version) {
        this.current = new Versioned(version, initial);
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
        return applyIfVersion(changes, -1);
    }

    /**
     * Like {@link #apply}, but only while the version is still {@code expectedVersion} (-1: any); returns null, and
     * changes nothing, when it has moved on. The check and the change are one step (If-Match of the admin API).
     */
    public Versioned applyIfVersion(Map<TunableParameter, Long> changes, long expectedVersion) {
        Versioned next;
        synchronized (this) {
            if (expectedVersion >= 0 && current.version() != expectedVersion) {
                return null;
            }
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
