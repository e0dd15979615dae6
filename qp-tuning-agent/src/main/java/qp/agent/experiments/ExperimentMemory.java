package qp.agent.experiments;

import java.util.Optional;
import java.util.OptionalInt;
import qp.agent.tuning.WindowHistory;
import qp.protocol.params.TunableParameter;

/**
 * Outcomes read back: a change like one whose experiment ended {@code no_effect}, {@code harm} or {@code guard} on
 * the same node, parameter and direction within {@code rememberForMs} is not tried again — unless the node's traffic
 * changed since that experiment started ({@link TrafficProfile#changeFrom}), which may make it worth another try.
 */
public final class ExperimentMemory {
    /** Windows the traffic profile is taken over. */
    public static final int PROFILE_WINDOWS = 6;

    private final ExperimentStore store;
    private final WindowHistory history;
    private final long rememberForMs;

    public ExperimentMemory(ExperimentStore store, WindowHistory history, long rememberForMs) {
        this.store = store;
        this.history = history;
        this.rememberForMs = rememberForMs;
    }

    /** The node's traffic now, as an experiment records it when it starts. */
    public TrafficProfile profileNow(String nodeId, long nowMs) {
        return history.profile(nodeId, nowMs, PROFILE_WINDOWS);
    }

    /** Open connections on the node in its latest sample; empty when none was ingested yet. */
    public OptionalInt sessionsNow(String nodeId, long nowMs) {
        return history.connections(nodeId, nowMs);
    }

    /** Why the change was tried already (a sentence), or empty when it may be tried. */
    public Optional<String> alreadyTried(String nodeId, String parameter, long from, long to, long nowMs) {
        TunableParameter p = TunableParameter.byWireName(parameter);
        int direction = Experiment.direction(p, from, to);
        for (Experiment e : store.endedSince(nodeId, parameter, nowMs - rememberForMs)) {
            if (e.verdict() == null || !e.verdict().failed() || e.direction() != direction) {
                continue;
            }
            TrafficProfile then = TrafficProfile.parse(e.profileJson());
            TrafficProfile now = profileNow(nodeId, nowMs);
            String changed = then == null || now == null ? null : now.changeFrom(then);
            if (changed != null) {
                continue; // the traffic is not what it was: worth another try
            }
            long agoS = (nowMs - e.endedAtMs()) / 1000;
            return Optional.of(String.format("experiment %s moved %s the same way %d s ago and ended %s, and the "
                    + "node's traffic is alike since (remembered %d h)", e.id(), parameter, agoS, e.verdict().wire(),
                    rememberForMs / 3_600_000));
        }
        return Optional.empty();
    }
}
