package qp.agent.tuning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import qp.agent.config.AgentConfig;
import qp.agent.config.AgentOptions;
import qp.agent.experiments.ExperimentMemory;
import qp.agent.gateway.GatewayParams;
import qp.protocol.analytics.Recommendation;
import qp.protocol.params.TunableParameter;
import qp.protocol.params.TunableParams;

/**
 * Exploration (issue 19): a node that has had no change, no pending recommendation and no experiment for
 * {@code --exploration-idle} gets one small randomized experiment at a neighbouring value of one of its session
 * parameters, in turn: the current value times or divided by {@code --exploration-step} (at most ×/÷1.5), rounded to
 * the parameter's step and kept in range, alternately up and down. It goes through the same gates as any change
 * except confidence and improvement (it claims nothing), runs at {@code --exploration-share} of the sessions without a
 * ramp, with its guards (and the service levels') armed, and is adopted only if its experiment keeps it. What it is
 * for: the frames of its treatment arm carry the other value, so the models' data varies the parameter at random and
 * they can learn what it does. Switchback parameters (max_connections, max_frame_bytes) are not explored: a whole
 * node's block at a lower limit refuses real clients. A node with too few sessions for its treatment arm to hold
 * {@link #MIN_TREATMENT_SESSIONS} of them on average (connections × share, from its latest sample) is not explored:
 * seen live, 8 connections at 5% put none in treatment, and the experiment timed out having learnt nothing.
 */
public final class Explorer {
    private static final Logger LOG = LoggerFactory.getLogger(Explorer.class);
    /** The session parameters explored, in turn; compression only while it is on (turning it on is a rule's call). */
    static final List<TunableParameter> EXPLORED = List.of(TunableParameter.BUFFER_SIZE,
            TunableParameter.HEARTBEAT_INTERVAL, TunableParameter.COMPRESSION_THRESHOLD);
    static final String RULE = "explore";
    /** Sessions the treatment arm should hold on average: with 2, no session in it has odds of about 13% or less. */
    static final double MIN_TREATMENT_SESSIONS = 2;

    private final boolean on;
    private final double step;
    private final long idleMs;
    private final double share;
    private final LedgerStore ledger;
    private final ExperimentMemory memory;
    private final Map<String, Long> saidTooFew = new HashMap<>();
    private final Map<String, Integer> turn = new HashMap<>();
    private final Map<String, Boolean> up = new HashMap<>();
    private Long firstTickMs;

    public Explorer(AgentConfig config, LedgerStore ledger, ExperimentMemory memory) {
        // advise mode and dry runs change nothing, so they have nothing to learn from: no exploration there
        this.on = config.get(AgentOptions.EXPLORATION) == AgentOptions.Exploration.ON
                && config.get(AgentOptions.MODE) == AgentOptions.Mode.APPLY && !config.get(AgentOptions.DRY_RUN);
        this.step = config.get(AgentOptions.EXPLORATION_STEP);
        this.idleMs = config.get(AgentOptions.EXPLORATION_IDLE).toMillis();
        this.share = Math.min(config.get(AgentOptions.EXPLORATION_SHARE), config.get(AgentOptions.EXPERIMENT_SHARE));
        this.ledger = ledger;
        this.memory = memory;
    }

    /** Whether the node is idle long enough to explore (the agent's own start counts as activity). */
    public boolean idle(String nodeId, long nowMs) {
        if (!on) {
            return false;
        }
        if (firstTickMs == null) {
            firstTickMs = nowMs;
        }
        if (nowMs - firstTickMs < idleMs || ledger.inFlight(nodeId).isPresent()
                || ledger.withStatus(Status.PENDING).stream().anyMatch(o -> o.nodeId().equals(nodeId))) {
            return false;
        }
        for (TunableParameter p : TunableParameter.values()) {
            OptionalLong last = ledger.lastChangeAt(nodeId, p.wireName());
            if (last.isPresent() && nowMs - last.getAsLong() < idleMs) {
                return false;
            }
        }
        return enoughSessions(nodeId, nowMs);
    }

    /** Whether the treatment arm would hold {@link #MIN_TREATMENT_SESSIONS} sessions on average; said once an idle period. */
    private boolean enoughSessions(String nodeId, long nowMs) {
        OptionalInt sessions = memory.sessionsNow(nodeId, nowMs);
        if (sessions.isPresent() && sessions.getAsInt() * share >= MIN_TREATMENT_SESSIONS) {
            return true;
        }
        Long said = saidTooFew.get(nodeId);
        if (said == null || nowMs - said >= idleMs) {
            saidTooFew.put(nodeId, nowMs);
            LOG.info("node {} | exploration waits: {} at --exploration-share {}: the treatment arm would hold {} "
                    + "sessions on average, it needs {} (about {} sessions)", nodeId, sessions.isPresent()
                            ? sessions.getAsInt() + " sessions" : "no node sample yet, so no sessions known;", share,
                    sessions.isPresent() ? String.format("%.2f", sessions.getAsInt() * share) : "?",
                    (int) MIN_TREATMENT_SESSIONS, (int) Math.ceil(MIN_TREATMENT_SESSIONS / share));
        }
        return false;
    }

    /** The next neighbouring value to explore on the node, as a recommendation of source exploration. */
    public Optional<Recommendation> next(String nodeId, GatewayParams params, long nowMs) {
        for (int i = 0; i < EXPLORED.size(); i++) {
            int k = Math.floorMod(turn.merge(nodeId, 1, Integer::sum) - 1, EXPLORED.size()); // buffer_size first
            TunableParameter p = EXPLORED.get(k);
            long current = params.value(p.wireName());
            if (p.allowsOff() && current == TunableParams.OFF) {
                continue;
            }
            boolean goUp = up.merge(nodeId + "/" + p.wireName(), true, (a, b) -> !a);
            long proposed = neighbour(p, current, goUp);
            if (proposed == current) {
                proposed = neighbour(p, current, !goUp);
            }
            if (proposed != current) {
                String why = String.format("exploration: node idle for %d s; %s %s -> %s (x%s%.2f, the trust region) at "
                        + "a small share, so the models' data varies it at random", idleMs / 1000, p.wireName(),
                        p.show(current), p.show(proposed), proposed > current ? "" : "1/", step);
                String id = Recommendation.idFor(nodeId, p.wireName(), current, proposed, params.version(),
                        Recommendation.SOURCE_EXPLORATION, RULE + "@" + nowMs / idleMs);
                return Optional.of(new Recommendation(id, nodeId, p.wireName(), current, proposed, 0, 0,
                        p.goal().metric().wire(), Recommendation.SOURCE_EXPLORATION, null, RULE, why, params.version(),
                        nowMs));
            }
        }
        return Optional.empty();
    }

    /** current × or ÷ the step, rounded to the parameter's unit (1 KiB, 1 s, 256 B), within its range. */
    private long neighbour(TunableParameter p, long current, boolean goUp) {
        long unit = p == TunableParameter.HEARTBEAT_INTERVAL ? 1000 : p == TunableParameter.COMPRESSION_THRESHOLD ? 256
                : 1024;
        return neighbour(p, current, goUp, unit, step);
    }

    static long neighbour(TunableParameter p, long current, boolean goUp, long unit, double step) {
        double target = goUp ? current * step : current / step;
        long rounded = Math.max(unit, Math.round(target / unit) * unit);
        return Math.max(p.min(), Math.min(p.max(), rounded));
    }
}
