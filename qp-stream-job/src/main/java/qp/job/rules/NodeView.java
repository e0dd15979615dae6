package qp.job.rules;

import qp.protocol.params.TunableParams;

/**
 * What the rules know about a node from its metrics.
 *
 * @param params                the parameters in force
 * @param paramVersion          their version
 * @param connections           open connections at the last sample
 * @param heartbeatTimeouts     heartbeat timeouts reported since the last window was evaluated
 * @param metricsAtMillis       time of the last sample
 */
public record NodeView(TunableParams params, long paramVersion, int connections, long heartbeatTimeouts,
        long metricsAtMillis) {
}
