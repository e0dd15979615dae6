package qp.bench.scenario;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated scenario: the gateways by node id (in order; the surge goes to the first, the bulky payloads to the
 * last), the client token, the pace and the script.
 *
 * @param routeOp               the op the gateways forward to the scenario's upstream (their {@code routes} entry)
 * @param opsPerSecond          requests per second per gateway
 * @param connectionsPerGateway connections each phase opens to each gateway
 * @param surgeConnections      extra connections the surge opens to the first gateway
 * @param maxInFlight           requests outstanding per connection before the pacer skips it
 */
public record ScenarioConfig(Map<String, URI> gateways, String token, String routeOp, int opsPerSecond,
                             int connectionsPerGateway, int surgeConnections, int maxInFlight, ScenarioScript script,
                             long seed) {
    /** The most connections a phase opens to one gateway. */
    private static final int MAX_CONNECTIONS = 200;

    public ScenarioConfig {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one --gateway NODE=ws://HOST:PORT/qp");
        }
        gateways = new LinkedHashMap<>(gateways);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no client token: set QP_TOKEN or pass --token-file");
        }
        if (opsPerSecond < 1 || opsPerSecond > 20_000) {
            throw new IllegalArgumentException("--rate must be 1..20000 requests/s per gateway");
        }
        requireConnections(connectionsPerGateway);
        if (surgeConnections < 0 || surgeConnections > 2_000) {
            throw new IllegalArgumentException("--surge-connections must be 0..2000");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("--max-in-flight must be at least 1");
        }
    }

    /**
     * The check of {@code --connections} (connections per gateway per phase), for a command that wants to refuse a bad
     * value before it starts anything, not only when it builds the config.
     */
    public static void requireConnections(int connectionsPerGateway) {
        if (connectionsPerGateway < 1 || connectionsPerGateway > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("--connections must be 1.." + MAX_CONNECTIONS + ", got "
                    + connectionsPerGateway);
        }
    }

    /** The gateway the bulky phase goes to (and the compressible phase leaves out): the last one. */
    public String bulkyNode() {
        String last = null;
        for (String n : gateways.keySet()) {
            last = n;
        }
        return last;
    }

    public String surgeNode() {
        return gateways.keySet().iterator().next();
    }
}
