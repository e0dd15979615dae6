package qp.agent.gateway;

/** Reads and changes a gateway's parameters and runs its experiments. The agent's only way to touch a gateway. */
public interface Applier extends ExperimentApi {
    /** {@code GET /params} of the node. */
    GatewayParams read(String nodeId) throws GatewayException;

    /** {@code PUT /params} of one parameter, only if the node's version is still {@code ifMatchVersion}. */
    GatewayParams put(String nodeId, String parameter, long value, long ifMatchVersion) throws GatewayException;
}
