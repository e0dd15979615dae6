package qp.gateway.experiments;

import java.time.Clock;
import qp.gateway.params.ParamsHolder;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;

/**
 * One session's arm and the parameters it runs with, cached: recomputed only when the versioned state is a new
 * object (a params change, an experiment started, ramped or ended), the session gets its id, or a switchback block
 * ends. So a frame costs one volatile read and a comparison, not a hash. The session's IO thread only, except
 * {@link #sessionId()}.
 */
public final class SessionArm {
    private final ParamsHolder holder;
    /** The session clock's wall time: switchback blocks follow it. */
    private final Clock clock;
    private volatile String sessionId;
    private ParamsHolder.Versioned seen;
    private long seenBlock = -1;
    private EffectiveParams current;

    public SessionArm(ParamsHolder holder, Clock clock) {
        this.holder = holder;
        this.clock = clock;
    }

    /** The session is identified: from now on it runs in its own arm. */
    public void identify(String id) {
        sessionId = id;
        seen = null;
    }

    /** The session's id, or null before it is identified; readable from any thread (arm counts). */
    public String sessionId() {
        return sessionId;
    }

    /** What the session runs with now. */
    public EffectiveParams current() {
        ParamsHolder.Versioned v = holder.current();
        ExperimentSpec e = v.experiment();
        long nowMillis = 0; // only switchback depends on the time
        long block = -1;
        if (e != null && e.assignment() == Assignment.SWITCHBACK) {
            nowMillis = clock.millis();
            block = ArmsInForce.block(e, nowMillis);
        }
        if (v != seen || block != seenBlock) {
            current = ArmsInForce.forSession(v, sessionId, nowMillis);
            seen = v;
            seenBlock = block;
        }
        return current;
    }
}
