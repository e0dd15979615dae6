package qp.job.training;

import qp.protocol.params.TunableParams;

/**
 * What the recommender knows of a node besides its training rows.
 *
 * @param nodeId                     the node
 * @param params                     parameters in force (from its latest sample)
 * @param paramVersion               their version
 * @param heartbeatTimeouts          sessions closed for silence over the observed span
 * @param observedSeconds            per-second samples seen over that span
 */
public record NodeFacts(String nodeId, TunableParams params, long paramVersion, long heartbeatTimeouts,
        long observedSeconds) {

    public double heartbeatTimeoutsPerMinute() {
        return observedSeconds == 0 ? 0 : heartbeatTimeouts * 60.0 / observedSeconds;
    }
}
