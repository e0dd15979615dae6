package qp.agent.gateway;

import qp.protocol.experiments.ExperimentSpec;

/** Starts, reads, ramps and ends a gateway's experiment ({@code /experiment} of its admin API). */
public interface ExperimentApi {
    /**
     * The node's experiment as its gateway reports it.
     *
     * @param paramsVersion      the node's parameter version (experiments move it too)
     * @param running            the running experiment, null when none runs
     * @param lastEndedId        the id of the experiment that ended last, null when none did since the gateway started
     * @param lastEndedOutcome   {@code control} or {@code adopt}
     */
    record State(long paramsVersion, ExperimentSpec running, String lastEndedId, String lastEndedOutcome) {
        public boolean runs(String id) {
            return running != null && running.id().equals(id);
        }
    }

    State readExperiment(String nodeId) throws GatewayException;

    /** {@code POST /experiment}, only while the node's parameter version is {@code ifMatchVersion}. */
    State startExperiment(String nodeId, ExperimentSpec spec, long ifMatchVersion) throws GatewayException;

    /** {@code PUT /experiment} with a new treatment share. */
    State rampExperiment(String nodeId, String id, double share) throws GatewayException;

    /** {@code DELETE /experiment?id=..&outcome=adopt|control}. */
    State endExperiment(String nodeId, String id, boolean adopt) throws GatewayException;
}
