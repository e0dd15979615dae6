package qp.agent.gateway;

import java.util.Map;

/**
 * A gateway's parameters as {@code GET /params} shows them.
 *
 * @param version    the parameter version (its ETag)
 * @param instanceId the gateway process's instance id (new at each start); null from a gateway that has none
 * @param values     parameter wire name to value; 0 for "off"
 */
public record GatewayParams(long version, String instanceId, Map<String, Long> values) {
    public long value(String parameter) {
        Long v = values.get(parameter);
        if (v == null) {
            throw new IllegalArgumentException("the gateway does not report parameter " + parameter);
        }
        return v;
    }
}
