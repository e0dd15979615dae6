package qp.gateway.experiments;

import java.util.Map;
import qp.gateway.params.ParamsHolder;
import qp.protocol.experiments.Arm;
import qp.protocol.experiments.ArmAssignment;
import qp.protocol.experiments.Assignment;
import qp.protocol.experiments.ExperimentSpec;

/**
 * Which arm a unit is in, and what it runs with, as pure functions of the versioned state, the session id and the
 * time: so the hot path can cache them, and the admin API and the metrics can recount them from any thread.
 */
public final class ArmsInForce {
    private ArmsInForce() {
    }

    /**
     * The arm of a session (null id: not identified yet, counts as control) under a session experiment; the arm of
     * the whole node at {@code nowMillis} under switchback.
     */
    public static Arm arm(ExperimentSpec e, String sessionId, long nowMillis) {
        if (e.assignment() == Assignment.SWITCHBACK) {
            return ArmAssignment.switchbackArm(e.id(), block(e, nowMillis));
        }
        return sessionId == null ? Arm.CONTROL : ArmAssignment.sessionArm(e.id(), sessionId, e.treatmentShare());
    }

    /** The switchback block in force at {@code nowMillis}; -1 for a session experiment (no blocks). */
    public static long block(ExperimentSpec e, long nowMillis) {
        return e.assignment() == Assignment.SWITCHBACK
                ? ArmAssignment.block(e.startedAtMillis(), e.blockMillis(), nowMillis) : -1;
    }

    /** What a session runs with: the node's values, and under an experiment its arm's value of that parameter. */
    public static EffectiveParams forSession(ParamsHolder.Versioned v, String sessionId, long nowMillis) {
        ExperimentSpec e = v.experiment();
        if (e == null) {
            return new EffectiveParams(v.version(), v.params(), null, null, null);
        }
        Arm arm = arm(e, sessionId, nowMillis);
        Integer bucket;
        if (e.assignment() == Assignment.SWITCHBACK) {
            bucket = (int) block(e, nowMillis);
        } else {
            bucket = sessionId == null ? null : ArmAssignment.sessionBucket(e.id(), sessionId);
        }
        return new EffectiveParams(v.version(), v.params().with(Map.of(e.tunable(), e.value(arm))), e.id(), arm,
                bucket);
    }
}
