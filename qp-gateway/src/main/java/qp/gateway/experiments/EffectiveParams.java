package qp.gateway.experiments;

import qp.protocol.experiments.Arm;
import qp.protocol.params.TunableParams;

/**
 * The parameters one session (or the node) runs with at one moment, and what gave them: the node's values with the
 * experiment's parameter set to the arm's value. Without an experiment the last three are null.
 *
 * @param version      the version of the state they come from (what frame events carry as paramVersion)
 * @param params       the values in force for this unit
 * @param experimentId the running experiment, else null
 * @param arm          the unit's arm, else null
 * @param bucket       the session's bucket (session assignment; null before the session is identified) or the
 *                     block number (switchback); else null
 */
public record EffectiveParams(long version, TunableParams params, String experimentId, Arm arm, Integer bucket) {

    /** The arm as frame events carry it ({@code control}, {@code treatment}), or null. */
    public String armWire() {
        return arm == null ? null : arm.wire();
    }
}
