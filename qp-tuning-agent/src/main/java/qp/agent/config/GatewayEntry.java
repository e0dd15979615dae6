package qp.agent.config;

import java.net.URI;
import java.util.Objects;

/**
 * A gateway the agent may touch: its node id, its admin API and the admin token. The token goes only to
 * {@code adminUrl}; it is never printed ({@link #toString()} leaves it out).
 */
public record GatewayEntry(String nodeId, URI adminUrl, String adminToken) {
    public GatewayEntry {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(adminUrl, "adminUrl");
        Objects.requireNonNull(adminToken, "adminToken");
    }

    @Override
    public String toString() {
        return nodeId + " at " + adminUrl;
    }
}
